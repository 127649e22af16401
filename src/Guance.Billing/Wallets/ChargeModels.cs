namespace Guance.Billing.Wallets;

/// <summary>
/// How the charge engine settles what vouchers and cards do not cover (values equal the contract's).
/// </summary>
public enum ChargeMode
{
    /// <summary>Billing-center settlement: cash, then arrears.</summary>
    Wallet = 1,

    /// <summary>Cloud-account settlement: the rest goes to the cloud receivable, to be metered to the cloud account.</summary>
    Cloud = 2,
}

/// <summary>What paid a part of a charge (values equal the contract's).</summary>
public enum FundingSource
{
    OrdinaryVoucher = 1,
    FullReductionVoucher = 2,
    PrepaidCard = 3,
    Cash = 4,
    Arrears = 5,
    CloudAccount = 6,
}

/// <summary>An amount in cents for one billing item (see <see cref="ItemCodes"/>).</summary>
public sealed record ChargeLine(string ItemCode, long Amount);

/// <summary>A line as the contract carries it, before its amount is validated.</summary>
public sealed record ChargeLineInput(string? ItemCode, MoneyInput? Amount);

/// <summary>A charge as the contract carries it (the Charge RPC, an entry of ChargeBatch), before it is validated.</summary>
public sealed record ChargeInput(string BillingAccountId, string Reference, IReadOnlyList<ChargeLineInput> Lines, ChargeMode? Mode, string? Description);

/// <summary>
/// A charge of commercial-plan usage to a billing account: what the settlement of a daily bill asks
/// for. <paramref name="Reference"/> (the daily bill id) makes it idempotent: charging it again
/// returns the first result and moves nothing.
/// </summary>
public sealed record ChargeRequest(string BillingAccountId, string Reference, IReadOnlyList<ChargeLine> Lines, ChargeMode Mode = ChargeMode.Wallet, string? Description = null);

/// <summary>What paid one item, or part of it.</summary>
/// <param name="LotId">The voucher or card; null for cash, arrears and cloud.</param>
public sealed record ChargeAllocation(string ItemCode, FundingSource Source, string? LotId, long Amount);

/// <summary>The outcome of a charge, in cents, with what paid what in the order of deduction.</summary>
public sealed record ChargeResult(
    string TransactionId, string Reference, long Total, IReadOnlyList<ChargeAllocation> Allocations, long AddedArrears, long CloudAmount, DateTimeOffset CreatedAt)
{
    public long PaidBy(FundingSource source) => Allocations.Where(a => a.Source == source).Sum(a => a.Amount);

    /// <summary>Reads a charge back from its ledger transaction: each entry that left a paying account is an allocation.</summary>
    public static ChargeResult From(PostedTransaction posted)
    {
        var allocations = new List<ChargeAllocation>();
        foreach (var e in posted.Entries.Where(e => e.Entry.Amount < 0))
        {
            FundingSource source = e.AccountKind switch
            {
                LedgerAccountKind.OrdinaryVoucher => FundingSource.OrdinaryVoucher,
                LedgerAccountKind.FullReductionVoucher => FundingSource.FullReductionVoucher,
                LedgerAccountKind.PrepaidCard => FundingSource.PrepaidCard,
                LedgerAccountKind.Cash => FundingSource.Cash,
                LedgerAccountKind.Arrears => FundingSource.Arrears,
                LedgerAccountKind.CloudReceivable => FundingSource.CloudAccount,
                _ => throw new InvalidOperationException($"A charge does not take from {e.AccountKind}."),
            };
            allocations.Add(new ChargeAllocation(e.Entry.ItemCode ?? "", source, e.LotId, -e.Entry.Amount));
        }
        var t = posted.Transaction;
        return new ChargeResult(t.Id, t.Reference, t.Amount, allocations,
            allocations.Where(a => a.Source == FundingSource.Arrears).Sum(a => a.Amount),
            allocations.Where(a => a.Source == FundingSource.CloudAccount).Sum(a => a.Amount),
            t.CreatedAt);
    }
}

/// <summary>A charge's result, the wallet after it, and whether it was a replay of an earlier one.</summary>
public sealed record ChargeOutcome(ChargeResult Result, WalletView Wallet, bool Replayed);

/// <summary>One request's result in a group of charges: its outcome, or why it was refused.</summary>
public sealed record ChargeAttempt(ChargeOutcome? Outcome, Common.BillingException? Refusal);
