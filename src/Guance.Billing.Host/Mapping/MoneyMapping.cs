using Guance.Billing.Wallets;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Amounts between cents (the domain) and Money (the contract).</summary>
public static class MoneyMapping
{
    public static V1.Money ToMoney(this long cents)
    {
        var (units, nanos) = Cny.ToUnitsAndNanos(cents);
        return new V1.Money { CurrencyCode = Cny.CurrencyCode, Units = units, Nanos = nanos };
    }

    /// <summary>An optional Money field, unvalidated; an unset field is null.</summary>
    public static MoneyInput? ToInput(this V1.Money? money) =>
        money is null ? null : new MoneyInput(money.CurrencyCode, money.Units, money.Nanos);
}
