namespace Guance.Billing.Wallets;

/// <summary>The state of a voucher or card at a moment (values equal the contract's).</summary>
public enum LotState
{
    Unredeemed = 1,
    NotYetValid = 2,
    Active = 3,
    Exhausted = 4,
    Expired = 5,
}

/// <summary>A voucher with its balance, as lists show it.</summary>
public sealed record VoucherView(Voucher Voucher, long Balance, LotState State);

/// <summary>A prepaid card with its balance, as lists show it.</summary>
public sealed record PrepaidCardView(PrepaidCard Card, long Balance, LotState State);

public static class LotStates
{
    public static LotState Of(Voucher voucher, long balance, DateTimeOffset now) =>
        voucher.BillingAccountId is null && voucher.ExpiresAt > now ? LotState.Unredeemed
        : voucher.ExpiresAt <= now || voucher.ExpiredAt is not null ? LotState.Expired
        : voucher.ValidFrom > now ? LotState.NotYetValid
        : balance == 0 ? LotState.Exhausted
        : LotState.Active;

    public static LotState Of(PrepaidCard card, long balance, DateTimeOffset now) =>
        card.ExpiresAt <= now || card.ExpiredAt is not null ? LotState.Expired
        : balance == 0 ? LotState.Exhausted
        : LotState.Active;
}
