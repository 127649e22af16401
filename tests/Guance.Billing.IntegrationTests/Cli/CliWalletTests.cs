using System.Text.RegularExpressions;
using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>wallet: finance tops a customer's wallet up, support reads every movement and checks the ledger.</summary>
[Collection(CliCollection.Name)]
public sealed class CliWalletTests(CliHost fixture)
{
    [Fact]
    public async Task Finance_tops_up_a_wallet_and_support_reads_every_movement()
    {
        var account = await fixture.BillingAccountAsync("wallet");
        var ba = account.BillingAccountId;
        var cli = fixture.NewCli();
        var op = fixture.Host.OperatorToken!;
        var code = "WELCOME-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

        var recharged = await cli.RunAsync(As(op, "wallet", "recharge", "-a", ba, "--amount", "100.00", "--method", "bank-transfer", "--reference", "ICBC 0042"));
        recharged.Ok();
        var requestId = Regex.Match(recharged.Stderr, @"^Request id (cli-\w+) \(generated: repeat this recharge with --request-id \1 to retry it safely\)\.", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEqual("", requestId);
        Assert.Contains($"Request id:    {requestId}", recharged.Stdout);
        Assert.Contains("Cash added:    100.00 CNY", recharged.Stdout);
        Assert.Matches(@"Cash:\s+100\.00 CNY", recharged.Stdout);

        var retried = await cli.RunAsync(As(op, "wallet", "recharge", "-a", ba, "--amount", "100", "--method", "bank-transfer", "--reference", "ICBC 0042", "--request-id", requestId, "-o", "json"));
        retried.Ok();
        Assert.True(retried.Json.GetProperty("replayed").GetBoolean());
        Assert.Equal(100m, retried.Json.At("wallet", "cash").Yuan());
        Assert.Equal("", retried.Stderr);

        var reused = await cli.RunAsync(As(op, "wallet", "recharge", "-a", ba, "--amount", "50", "--method", "online", "--request-id", requestId));
        Assert.Equal(6, reused.ExitCode);
        Assert.EndsWith("(REQUEST_ID_REUSED)", reused.ErrorLines[0]);

        var subCent = await cli.RunAsync(As(op, "wallet", "recharge", "-a", ba, "--amount", "100.001", "--method", "online"));
        Assert.Equal(2, subCent.ExitCode);
        Assert.Equal("error: --amount: '100.001' has 3 decimals: amounts are whole cents, at most 2 decimals (nothing is rounded).", subCent.ErrorLines[0]);

        var voucher = await cli.RunAsync(As(op, "wallet", "voucher", "issue", "-a", ba, "--amount", "50", "--expires", "90d", "-o", "json"));
        voucher.Ok();
        Assert.Equal(50m, voucher.Json.At("voucher", "balance").Yuan());
        Assert.Equal("VOUCHER_KIND_ORDINARY", voucher.Json.At("voucher", "kind").GetString());

        var codeIssued = await cli.RunAsync(As(op, "wallet", "voucher", "issue", "--activation-code", code, "--amount", "20.5", "--expires", "2099-01-01"));
        codeIssued.Ok();
        Assert.Matches(@"│ vch_\w+\s+│ ordinary\s+│\s+20\.50 CNY │\s+0\.00 CNY │ unredeemed\s+│ .+│ 2099-01-01 00:00:00Z │", codeIssued.Stdout);

        var redeemed = await cli.RunAsync(As(account.SessionToken, "wallet", "voucher", "redeem", "-a", ba, "--code", code, "-o", "json"));
        redeemed.Ok();
        Assert.Equal("LOT_STATE_ACTIVE", redeemed.Json.At("voucher", "state").GetString());

        var card = await cli.RunAsync(As(op, "wallet", "card", "issue", "-a", ba, "--face-value", "1,000", "--expires", "365d", "--voucher-amount", "100", "--reference", "ORD-7", "-o", "json"));
        card.Ok();
        Assert.Equal(1000m, card.Json.At("prepaidCard", "balance").Yuan());
        Assert.Equal("VOUCHER_KIND_FULL_REDUCTION", card.Json.At("fullReductionVoucher", "kind").GetString());

        var wallet = await cli.RunAsync(As(account.SessionToken, "wallet", "show", "-a", ba));
        wallet.Ok();
        Assert.Matches(@"Cash:\s+100\.00 CNY", wallet.Stdout);
        Assert.Matches(@"Ordinary vouchers:\s+70\.50 CNY", wallet.Stdout);
        Assert.Matches(@"Full-reduction vouchers:\s+100\.00 CNY", wallet.Stdout);
        Assert.Matches(@"Prepaid cards:\s+1,000\.00 CNY", wallet.Stdout);
        Assert.Matches(@"Available:\s+1,270\.50 CNY", wallet.Stdout);

        string[] charge = ["wallet", "charge", "-a", ba, "--reference", "bill-" + ba, "--line", "logs=80.25", "--line", "sms=3", "--line", "time_series=1,300.00"];
        var unconfirmed = await cli.RunAsync(As(op, charge));
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains($"Charge 1,383.25 CNY to {ba} for bill-{ba}? Pass --yes to confirm.", unconfirmed.Stderr);

        var charged = await cli.RunAsync(As(op, [.. charge, "--yes", "-o", "json"]));
        charged.Ok();
        Assert.Equal(1383.25m, charged.Json.At("result", "total").Yuan());
        // Vouchers pay logs (never SMS), the card pays SMS then time series, cash the rest; what is left is arrears.
        Assert.Equal(112.75m, charged.Json.At("result", "addedArrears").Yuan());
        Assert.Equal(112.75m, charged.Json.At("wallet", "arrears").Yuan());

        var all = await cli.RunAsync(As(op, "wallet", "transactions", "-a", ba, "--page-size", "2", "--all", "-o", "json"));
        all.Ok();
        Assert.Equal(
            ["TRANSACTION_KIND_CHARGE", "TRANSACTION_KIND_VOUCHER_GRANT", "TRANSACTION_KIND_PREPAID_CARD_PURCHASE", "TRANSACTION_KIND_VOUCHER_GRANT", "TRANSACTION_KIND_VOUCHER_GRANT", "TRANSACTION_KIND_RECHARGE"],
            all.Json.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("kind").GetString()!));
        Assert.Equal("", all.Json.GetProperty("nextPageToken").GetString());
        Assert.Equal("", all.Stderr);

        var recharges = await cli.RunAsync(As(op, "wallet", "transactions", "-a", ba, "--kind", "recharge"));
        recharges.Ok();
        Assert.True(Regex.IsMatch(recharges.Stdout, $@"│ txn_\w+\s+│ recharge\s+│\s+100\.00 CNY │ cash \+100\.00 CNY\s+│ {requestId}\s+│"), recharges.Stdout);
        Assert.DoesNotContain("│ charge ", recharges.Stdout);
        // Which way the money went: what each balance gave, and the arrears the charge added.
        var charges = await cli.RunAsync(As(op, "wallet", "transactions", "-a", ba, "--kind", "charge"));
        charges.Ok();
        Assert.True(Regex.IsMatch(charges.Stdout, @"│ cash -100\.00 CNY, vouchers -170\.50 CNY, prepaid cards -1,000\.00 CNY, arrears \+112\.75 CNY\s+│"), charges.Stdout);

        var postings = await cli.RunAsync(As(op, "wallet", "transactions", "-a", ba, "--kind", "charge", "--postings", "--from", "1d"));
        postings.Ok();
        Assert.Matches(@"│ charge\s+│ arrears\s+│\s+│ time_series\s+│\s+-112\.75 CNY │\s+-112\.75 CNY │", postings.Stdout);
        Assert.Matches(@"│ charge\s+│ ordinary-voucher\s+│ vch_\w+\s+│ logs\s+│\s+-50\.00 CNY │\s+0\.00 CNY │", postings.Stdout);

        var cards = await cli.RunAsync(As(op, "wallet", "cards", "-a", ba));
        Assert.Matches(@"│ card_\w+\s+│\s+1,000\.00 CNY │\s+0\.00 CNY │ exhausted\s+│", cards.Stdout);

        var verified = await cli.RunAsync(As(op, "wallet", "verify-ledger", "-a", ba));
        verified.Ok();
        Assert.Contains("Ledger:        clean", verified.Stdout);
        Assert.Contains("Transactions:  6", verified.Stdout);
    }

    [Fact]
    public async Task An_operator_charges_a_file_of_charges_and_a_retry_of_the_file_changes_nothing()
    {
        var account = await fixture.BillingAccountAsync("batch");
        var ba = account.BillingAccountId;
        var cli = fixture.NewCli();
        var op = fixture.Host.OperatorToken!;
        var file = Path.Combine(fixture.ConfigDirectory, $"charges-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(fixture.ConfigDirectory);
        await File.WriteAllTextAsync(file, $$$"""
            {"charges": [
              {"billing_account_id": "{{{ba}}}", "reference": "cli-batch-{{{ba}}}-1", "lines": [{"item_code": "logs", "amount": {"currency_code": "CNY", "units": "12", "nanos": 500000000}}]},
              {"billing_account_id": "ba_01kb0000000000000000000000", "reference": "cli-batch-{{{ba}}}-2", "lines": [{"item_code": "logs", "amount": {"currency_code": "CNY", "units": "1"}}]}
            ]}
            """);

        var unconfirmed = await cli.RunAsync(As(op, "wallet", "charge-batch", "--file", file));
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("Charge 2 charge(s), 13.50 CNY in all? Pass --yes to confirm.", unconfirmed.Stderr);

        var charged = await cli.RunAsync(As(op, "wallet", "charge-batch", "--file", file, "--yes"));
        // The unknown account's refusal is the exit code (NOT_FOUND); the other charge went through.
        Assert.Equal(4, charged.ExitCode);
        Assert.Matches(@"│\s+1 │ " + ba + @"\s+│ cli-batch-\S+-1\s+│ charged\s+│\s+12\.50 CNY │\s+12\.50 CNY │ txn_", charged.Stdout);
        Assert.Matches(@"│\s+2 │ ba_01kb0+\s+│ cli-batch-\S+-2\s+│ refused\s+│\s+│\s+│ BILLING_ACCOUNT_NOT_FOUND: ", charged.Stdout);
        Assert.StartsWith("error: 1 of 2 charge(s) refused; the first, #2: ", charged.ErrorLines[0]);

        var retried = await cli.RunAsync(As(op, "wallet", "charge-batch", "--file", file, "--yes", "-o", "json"));
        Assert.Equal(4, retried.ExitCode);
        var outcomes = retried.Json.GetProperty("outcomes");
        Assert.True(outcomes[0].At("charged").GetProperty("replayed").GetBoolean());
        Assert.Equal(12.5m, outcomes[0].At("charged", "wallet", "arrears").Yuan());
        Assert.Equal("BILLING_ACCOUNT_NOT_FOUND", outcomes[1].At("refused").GetProperty("reason").GetString());

        await File.WriteAllTextAsync(file, """{"charges": [{"billing_account_id": 7}]}""");
        var malformed = await cli.RunAsync(As(op, "wallet", "charge-batch", "--file", file, "--yes"));
        Assert.Equal(2, malformed.ExitCode);
        Assert.StartsWith($"error: {file}: not a ChargeBatch request in JSON: ", malformed.ErrorLines[0]);
        // JSON cut short says where, not the parser's state.
        await File.WriteAllTextAsync(file, "{\"charges\":\n  [{\"billing_account_id\": ");
        var cut = await cli.RunAsync(As(op, "wallet", "charge-batch", "--file", file, "--yes"));
        Assert.Equal(2, cut.ExitCode);
        Assert.StartsWith($"error: {file}: not valid JSON at line 2, ", cut.ErrorLines[0]);
    }

    [Fact]
    public async Task Wallet_mistakes_exit_with_their_codes()
    {
        var account = await fixture.BillingAccountAsync("mistakes");
        var cli = fixture.NewCli();
        var op = fixture.Host.OperatorToken!;

        var bySession = await cli.RunAsync(As(account.SessionToken, "wallet", "recharge", "-a", account.BillingAccountId, "--amount", "10", "--method", "online", "--request-id", "r-1"));
        Assert.Equal(5, bySession.ExitCode);
        Assert.Equal("error: This call needs the operator token. (OPERATOR_REQUIRED)", bySession.ErrorLines[0]);

        var oddCard = await cli.RunAsync(As(op, "wallet", "card", "issue", "-a", account.BillingAccountId, "--face-value", "150", "--expires", "30d", "--request-id", "c-1"));
        Assert.Equal(3, oddCard.ExitCode);
        Assert.Equal("error: The request has invalid fields (INVALID_ARGUMENT)", oddCard.ErrorLines[0]);
        Assert.StartsWith("  face_value: ", oddCard.ErrorLines[1]);

        foreach (var args in new[]
                 {
                     new[] { "wallet", "show" },
                     ["wallet", "recharge", "-a", account.BillingAccountId, "--amount", "-5", "--method", "online"],
                     ["wallet", "recharge", "-a", account.BillingAccountId, "--amount", "0", "--method", "online"],
                     ["wallet", "recharge", "-a", account.BillingAccountId, "--amount", "12,50", "--method", "online"],
                     ["wallet", "transactions", "-a", account.BillingAccountId, "--from", "yesterday"],
                     ["wallet", "voucher", "issue", "--amount", "5", "--expires", "30d"],
                     ["wallet", "charge", "-a", account.BillingAccountId, "--reference", "x", "--line", "logs", "--yes"],
                 })
        {
            var usage = await cli.RunAsync(As(op, args));
            Assert.True(usage.ExitCode == 2, usage.ToString());
            Assert.StartsWith("error: ", usage.ErrorLines[0]);
            Assert.Contains("--help", usage.Stderr);
        }
    }
}
