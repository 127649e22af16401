using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Identity;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// Charges commercial-plan usage to a billing account: the engine that daily settlement calls for
/// a batch of daily bills (<see cref="ChargeBatchAsync"/>), also open to operators through the Charge RPC.
/// Only commercial usage may be charged here: vouchers pay only commercial-plan usage, and the engine
/// lets them pay every item except SMS and synthetic tests.
/// Deduction follows <see cref="ChargeAllocator"/>; the whole charge is one ledger transaction keyed
/// by its reference, so a retry (or a second host) returns the first result. The Charge RPC's charges
/// go through <see cref="ChargeWriter"/>, which commits those that arrive together as one group
/// (<see cref="ChargeGroupAsync"/>).
/// </summary>
public sealed class ChargeEngine(WalletLedger ledger, WalletWriteRetry retry, ChargeWriter writer, IOptions<WalletOptions> options)
{
    public const int MaxLines = 100;
    private const int MaxDescription = 256;
    private static readonly string LinesRule = $"must have 1 to {MaxLines} lines, one per item";

    /// <summary>The Charge RPC: operator only; amounts as the contract carries them.</summary>
    public Task<ChargeOutcome> ChargeAsync(
        Caller caller, string billingAccountId, string reference, IReadOnlyList<ChargeLineInput> lines, ChargeMode? mode, string? description,
        CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Operate);
        var validator = new RequestValidator();
        var request = Read(new ChargeInput(billingAccountId, reference, lines, mode, description), validator, "");
        validator.ThrowIfInvalid();
        return writer.ChargeAsync(request!, cancellationToken);
    }

    /// <summary>
    /// Reads a charge as the contract carries it, recording each bad field in <paramref name="validator"/>
    /// under <paramref name="prefix"/> (for example "charges[3]."); null when it has too many lines to read.
    /// </summary>
    public static ChargeRequest? Read(ChargeInput input, RequestValidator validator, string prefix)
    {
        if (input.Lines.Count > MaxLines)
        {
            // Refused by its count alone, before any line is read.
            validator.Check(false, prefix + "lines", LinesRule);
            return null;
        }
        var parsed = new List<ChargeLine>(input.Lines.Count);
        for (var i = 0; i < input.Lines.Count; i++)
        {
            // 0 means the amount was refused (its violation is recorded); 1 keeps Check from adding a second one.
            var cents = validator.Money(input.Lines[i].Amount, $"{prefix}lines[{i}].amount");
            parsed.Add(new ChargeLine(input.Lines[i].ItemCode ?? "", cents == 0 ? 1 : cents));
        }
        var request = new ChargeRequest(input.BillingAccountId, input.Reference, parsed, input.Mode ?? ChargeMode.Wallet, input.Description);
        Check(request, validator, prefix);
        return request;
    }

    /// <summary>
    /// Charges <paramref name="request"/>: INVALID_ARGUMENT for a malformed request, NOT_FOUND for an
    /// unknown account, FAILED_PRECONDITION <c>REFERENCE_REUSED</c> when the reference was charged
    /// with other lines or another account. Inside a transaction the caller opened, it joins it.
    /// </summary>
    public Task<ChargeOutcome> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        Validate(request, new RequestValidator());
        return ChargeValidAsync(request, cancellationToken);
    }

    /// <summary>
    /// Charges requests of any billing accounts as ONE wallet write inside the transaction that the caller
    /// opened (and owns: commit and retry), with the results of <see cref="ChargeGroupAsync"/>: what daily
    /// settlement does with a batch of bills. A request that is malformed, or refused (an unknown account,
    /// a reference used for another request), is only that request's result and changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<ChargeAttempt>> ChargeBatchAsync(IReadOnlyList<ChargeRequest> requests, CancellationToken cancellationToken)
    {
        var attempts = new ChargeAttempt[requests.Count];
        var valid = new List<int>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                // A bill's lines are what rating made of the day's usage: charged whatever their total, not bounded as an RPC's input is.
                Validate(requests[i], new RequestValidator(), boundTotal: false);
                valid.Add(i);
            }
            catch (BillingException refused)
            {
                attempts[i] = new ChargeAttempt(null, refused);
            }
        }
        if (valid.Count == 0)
        {
            return attempts;
        }
        var charged = await ChargeGroupOnceAsync(valid.Select(i => requests[i]).ToList(), cancellationToken);
        for (var v = 0; v < valid.Count; v++)
        {
            attempts[valid[v]] = charged[v];
        }
        return attempts;
    }

    /// <summary>
    /// Charges valid requests of any accounts in ONE database transaction, with the results that one
    /// charge after the other in the given order would have: the accounts' wallets are locked (in id
    /// order) and their books loaded once, each request is replayed, refused or posted in turn, and all
    /// is saved and committed together. A refusal (an unknown account, a reference used for another
    /// request) is that request's result and changes nothing; the others still commit. A reference
    /// given twice in the group is charged once: the second is a replay of the first, or refused when
    /// its request differs. A lost race reruns the whole group (<see cref="WalletWriteRetry"/>).
    /// </summary>
    public Task<IReadOnlyList<ChargeAttempt>> ChargeGroupAsync(IReadOnlyList<ChargeRequest> requests, CancellationToken cancellationToken) =>
        retry.RunAsync($"A group of {requests.Count} charges", options.Value.WriteAttempts, _ => ChargeGroupOnceAsync(requests, cancellationToken), cancellationToken);

    /// <summary>One try of <see cref="ChargeGroupAsync"/>, in the transaction that the caller opened.</summary>
    private async Task<IReadOnlyList<ChargeAttempt>> ChargeGroupOnceAsync(IReadOnlyList<ChargeRequest> requests, CancellationToken cancellationToken)
    {
        var keyed = requests.Select(KeyOf).ToList();
        return await ledger.WriteManyAsync(requests.Select(r => r.BillingAccountId), async books =>
        {
            // Looked up under the locks, as for one charge alone: a charge that another writer of these accounts
            // committed before is a replay here, not a duplicate key at the save.
            var made = await ledger.FindTransactionsAsync(keyed, cancellationToken);
            var replays = made.Count == 0
                ? new Dictionary<string, PostedTransaction>(StringComparer.Ordinal)
                : (await ledger.LoadPostedAsync(made.Values.ToList(), cancellationToken)).ToDictionary(p => p.Transaction.IdempotencyKey, StringComparer.Ordinal);
            var posted = new Dictionary<string, (ChargeRequest Request, PostedTransaction Transaction)>(StringComparer.Ordinal);
            var attempts = new ChargeAttempt[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                try
                {
                    attempts[i] = new ChargeAttempt(await ChargeInGroupAsync(requests[i], keyed[i], books, made, replays, posted, cancellationToken), null);
                }
                catch (BillingException refused)
                {
                    attempts[i] = new ChargeAttempt(null, refused);
                }
            }
            return (IReadOnlyList<ChargeAttempt>)attempts;
        }, cancellationToken);
    }

    private static async Task<ChargeOutcome> ChargeInGroupAsync(
        ChargeRequest request, ReplayKey key, IReadOnlyDictionary<string, WalletBook> books, Dictionary<string, LedgerTransaction> made,
        Dictionary<string, PostedTransaction> replays, Dictionary<string, (ChargeRequest Request, PostedTransaction Transaction)> posted,
        CancellationToken cancellationToken)
    {
        var account = request.BillingAccountId;
        // As one charge alone: an unknown account is NOT_FOUND before its reference is looked at.
        if (!books.TryGetValue(account, out var book))
        {
            throw BillingAccountAccess.NotFound(account);
        }
        if (made.TryGetValue(key.IdempotencyKey, out var earlier))
        {
            if (WalletLedger.Mismatch(key, account, earlier, ErrorReasons.ReferenceReused) is { } reused)
            {
                throw reused;
            }
            return new ChargeOutcome(ChargeResult.From(replays[key.IdempotencyKey]), book.View(), Replayed: true);
        }
        if (posted.TryGetValue(key.IdempotencyKey, out var inGroup))
        {
            if (WalletLedger.Mismatch(key, account, inGroup.Transaction.Transaction, ErrorReasons.ReferenceReused) is { } reused)
            {
                throw reused;
            }
            return new ChargeOutcome(ChargeResult.From(inGroup.Transaction), book.View(), Replayed: true);
        }
        var outcome = await PostAsync(book, request, key, cancellationToken);
        posted.Add(key.IdempotencyKey, (request, book.Posted[^1]));
        return outcome;
    }

    /// <summary>Charges one valid request alone, in a wallet write of its own (what <see cref="ChargeWriter"/> falls back to).</summary>
    public Task<ChargeOutcome> ChargeAloneAsync(ChargeRequest request, CancellationToken cancellationToken) => ChargeValidAsync(request, cancellationToken);

    private Task<ChargeOutcome> ChargeValidAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        var key = KeyOf(request);
        return ledger.WriteAsync(request.BillingAccountId, async book =>
            await ledger.FindReplayAsync(request.BillingAccountId, key.IdempotencyKey, key.Fingerprint, ErrorReasons.ReferenceReused, key.Subject, cancellationToken) is { } replay
                ? new ChargeOutcome(ChargeResult.From(replay), book.View(), Replayed: true)
                : await PostAsync(book, request, key, cancellationToken), cancellationToken);
    }

    private static ReplayKey KeyOf(ChargeRequest request) => new(
        "charge:" + request.Reference,
        RequestFingerprint.Of(["charge", request.BillingAccountId, (int)request.Mode, .. request.Lines.SelectMany(l => new object[] { l.ItemCode, l.Amount })]),
        $"reference {request.Reference}");

    private static async Task<ChargeOutcome> PostAsync(WalletBook book, ChargeRequest request, ReplayKey key, CancellationToken cancellationToken)
    {
        var lots = book.UsableLots().Select(a => new ChargeAllocator.Funding(SourceOf(a.Kind), a.Id, a.Balance)).ToList();
        var allocations = ChargeAllocator.Allocate(request.Lines, lots, book[LedgerAccountKind.Cash].Balance, request.Mode);

        var revenue = book[LedgerAccountKind.Revenue];
        var moves = new List<(LedgerAccount From, ChargeAllocation Allocation)>(allocations.Count);
        foreach (var allocation in allocations)
        {
            moves.Add((allocation.Source switch
            {
                FundingSource.Cash => book[LedgerAccountKind.Cash],
                FundingSource.Arrears => book[LedgerAccountKind.Arrears],
                FundingSource.CloudAccount => book[LedgerAccountKind.CloudReceivable],
                _ => (await book.LotAccountAsync(allocation.LotId!, cancellationToken))!,
            }, allocation));
        }
        // Refused before the book holds any of it: a charge half posted would be saved with the others of its group.
        if (!FitsTheLedger(revenue, moves))
        {
            throw Errors.Precondition(ErrorReasons.LedgerLimitExceeded, $"billingAccounts/{book.BillingAccountId}",
                $"This charge would take a balance of billing account {book.BillingAccountId} beyond what its ledger can hold; nothing of it was charged.");
        }
        var total = request.Lines.Sum(l => l.Amount);
        var transaction = book.Start(TransactionKind.Charge, key.IdempotencyKey, request.Reference, total, key.Fingerprint, request.Description?.Trim() ?? "");
        foreach (var (from, allocation) in moves)
        {
            book.Move(transaction, from, revenue, allocation.Amount, allocation.ItemCode);
        }
        return new ChargeOutcome(ChargeResult.From(transaction), book.View(), Replayed: false);
    }

    /// <summary>
    /// Whether every balance the moves change stays within a long (the ledger's integer cents), and above long.MinValue,
    /// whose negation (what arrears show as owed) would not fit.
    /// </summary>
    private static bool FitsTheLedger(LedgerAccount revenue, List<(LedgerAccount From, ChargeAllocation Allocation)> moves)
    {
        try
        {
            var balances = new Dictionary<LedgerAccount, long> { [revenue] = revenue.Balance };
            foreach (var (from, allocation) in moves)
            {
                balances[from] = checked(balances.GetValueOrDefault(from, from.Balance) - allocation.Amount);
                balances[revenue] = checked(balances[revenue] + allocation.Amount);
            }
            return !balances.ContainsValue(long.MinValue);
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static void Validate(ChargeRequest request, RequestValidator validator, bool boundTotal = true)
    {
        Check(request, validator, "", boundTotal);
        validator.ThrowIfInvalid();
    }

    private static void Check(ChargeRequest request, RequestValidator validator, string prefix, bool boundTotal = true)
    {
        validator.Id(request.BillingAccountId, prefix + "billing_account_id", "ba")
            .RequestKey(request.Reference, prefix + "reference")
            .Check(request.Lines.Count is > 0 and <= MaxLines, prefix + "lines", LinesRule)
            .Check(Enum.IsDefined(request.Mode), prefix + "mode", "must be CHARGE_MODE_WALLET or CHARGE_MODE_CLOUD")
            .Text(request.Description, prefix + "description", MaxDescription, required: false);
        if (request.Lines.Count > MaxLines)
        {
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        for (var i = 0; i < request.Lines.Count; i++)
        {
            var line = request.Lines[i];
            validator.Check(ItemCodes.IsKnown(line.ItemCode), $"{prefix}lines[{i}].item_code", ItemCodes.Rule);
            validator.Check(!ItemCodes.IsKnown(line.ItemCode) || seen.Add(line.ItemCode), $"{prefix}lines[{i}].item_code", "appears in an earlier line; give each item once");
            validator.Check(line.Amount > 0, $"{prefix}lines[{i}].amount", "must be positive");
            total += Math.Clamp(line.Amount, 0, Cny.MaxUnits * Cny.CentsPerUnit);
        }
        validator.Check(!boundTotal || total <= Cny.MaxUnits * Cny.CentsPerUnit, prefix + "lines", "must total at most one trillion CNY");
    }

    private static FundingSource SourceOf(LedgerAccountKind kind) => kind switch
    {
        LedgerAccountKind.OrdinaryVoucher => FundingSource.OrdinaryVoucher,
        LedgerAccountKind.FullReductionVoucher => FundingSource.FullReductionVoucher,
        LedgerAccountKind.PrepaidCard => FundingSource.PrepaidCard,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a lot."),
    };
}
