using System.Globalization;
using Guance.Billing.Jobs;
using Guance.Billing.Pricing;
using Guance.Billing.Settlement;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Settlement, price lists, day closes, bills and the clock as messages of the contract.</summary>
public static class SettlementMapping
{
    public static V1.BillingDay ToMessage(this DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    /// <summary>
    /// A billing day of a request: null when unset; <paramref name="valid"/> is false for a date that
    /// does not exist or is outside <see cref="Workspaces.BillingDays"/> (whose next day or site times would overflow).
    /// </summary>
    public static DateOnly? ToDay(this V1.BillingDay? day, out bool valid)
    {
        valid = true;
        if (day is null)
        {
            return null;
        }
        if (day.Year is >= 1 and <= 9999 && day.Month is >= 1 and <= 12 && day.Day >= 1 && day.Day <= DateTime.DaysInMonth(day.Year, day.Month)
            && new DateOnly(day.Year, day.Month, day.Day) is var date && Workspaces.BillingDays.IsInRange(date))
        {
            return date;
        }
        valid = false;
        return null;
    }

    /// <summary>
    /// A duration of a request (any sign); null when unset. Not named ToTimeSpan: Duration has an instance
    /// method of that name, which C# picks over an extension and which throws on an unset (null) field.
    /// </summary>
    public static TimeSpan? ToDurationOrNull(this Google.Protobuf.WellKnownTypes.Duration? duration) =>
        duration is null ? null : TimeSpan.FromTicks(Math.Clamp(duration.Seconds, -100_000_000_000L, 100_000_000_000L) * TimeSpan.TicksPerSecond + duration.Nanos / 100);

    public static V1.Money ToUnitPrice(this long micros)
    {
        var (units, nanos) = UnitPrices.ToUnitsAndNanos(micros);
        return new V1.Money { CurrencyCode = Cny.CurrencyCode, Units = units, Nanos = nanos };
    }

    /// <summary>Hundredths of units as the contract shows them: <c>"6.00"</c>.</summary>
    public static string ToUnits(this long hundredths) =>
        string.Create(CultureInfo.InvariantCulture, $"{hundredths / 100}.{hundredths % 100:00}");

    public static V1.Settlement ToMessage(this SettlementView view)
    {
        var message = new V1.Settlement
        {
            WorkspaceId = view.Workspace.Id,
            Plan = (V1.Plan)view.Workspace.Plan,
            UpgradeTime = view.Workspace.UpgradedAt.ToTimestamp(),
            BillingAccountId = view.BillingAccountId ?? "",
            BillingAccountUsername = view.BillingAccountUsername ?? "",
            BindTime = view.BoundAt.ToTimestamp(),
            Method = view.Method is { } method ? (V1.SettlementMethod)method : V1.SettlementMethod.Unspecified,
            CloudAccountId = view.Settlement?.CloudAccountId ?? "",
            ArbitrarySelection = view.Settlement?.ArbitrarySelection ?? false,
            MethodChangeTime = view.Settlement?.MethodChangedAt.ToTimestamp(),
            NextMethodChangeDay = view.NextMethodChangeDay.ToMessage(),
            CloudLockedIn = view.CloudLockedIn,
            Locked = view.Locked,
            ArrearsSince = view.ArrearsSince.ToTimestamp(),
            LockTime = view.LockAt.ToTimestamp(),
        };
        message.AllowedMethods.Add(view.AllowedMethods.Select(m => (V1.SettlementMethod)m));
        return message;
    }

    public static V1.BillingOverview ToMessage(this BillingOverview overview)
    {
        var settlement = overview.Settlement;
        var wallet = overview.Wallet;
        var message = new V1.BillingOverview
        {
            WorkspaceId = settlement.Workspace.Id,
            Plan = (V1.Plan)settlement.Workspace.Plan,
            Method = settlement.Method is { } method ? (V1.SettlementMethod)method : V1.SettlementMethod.Unspecified,
            BillingAccountId = settlement.BillingAccountId ?? "",
            BillingAccountUsername = settlement.BillingAccountUsername ?? "",
            BillingAccountDisplayName = overview.BillingAccountDisplayName ?? "",
            Cash = (wallet?.Cash ?? 0).ToMoney(),
            OrdinaryVouchers = (wallet?.OrdinaryVouchers ?? 0).ToMoney(),
            FullReductionVouchers = (wallet?.FullReductionVouchers ?? 0).ToMoney(),
            PrepaidCards = (wallet?.PrepaidCards ?? 0).ToMoney(),
            Arrears = (wallet?.Arrears ?? 0).ToMoney(),
            Available = (wallet?.Available ?? 0).ToMoney(),
            Locked = settlement.Locked,
            ArrearsSince = settlement.ArrearsSince.ToTimestamp(),
            LockTime = settlement.LockAt.ToTimestamp(),
        };
        message.Actions.Add(overview.Actions.Select(a => (V1.BillingAction)a));
        return message;
    }

    public static V1.PriceList ToMessage(this PriceTable table)
    {
        var message = new V1.PriceList
        {
            PriceListId = table.List.Id,
            Region = (V1.PriceRegion)table.List.Region,
            EffectiveDay = table.List.EffectiveFrom.ToMessage(),
            Description = table.List.Description,
            CreateTime = table.List.CreatedAt.ToTimestamp(),
        };
        message.Prices.Add(table.Prices.Select(p => new V1.Price
        {
            Item = (V1.BillingItem)p.Item.Item,
            RetentionDays = p.RetentionDays,
            UnitPrice = p.UnitPriceMicros.ToUnitPrice(),
            PriceUnit = p.Item.PriceUnit,
        }));
        return message;
    }

    public static V1.DayClose ToMessage(this DayClose close) => new()
    {
        SiteCode = close.SiteCode,
        Day = close.BillingDay.ToMessage(),
        State = close.CompletedAt is null ? V1.DayCloseState.Closing : V1.DayCloseState.Completed,
        CloseTime = close.ClosedAt.ToTimestamp(),
        CompleteTime = close.CompletedAt.ToTimestamp(),
        PriceListId = close.PriceListId ?? "",
        Bills = close.Bills,
        BillsCharged = close.BillsCharged,
        BillsAwaitingCloud = close.BillsAwaitingCloud,
        BillsUnbound = close.BillsUnbound,
        Total = close.Total.ToMoney(),
    };

    public static V1.DailyBill ToMessage(this DailyBillView view)
    {
        var bill = view.Bill;
        var message = new V1.DailyBill
        {
            DailyBillId = bill.Id,
            WorkspaceId = bill.WorkspaceId,
            BillingAccountId = bill.BillingAccountId ?? "",
            SiteCode = bill.SiteCode,
            Day = bill.BillingDay.ToMessage(),
            Total = bill.Total.ToMoney(),
            Status = (V1.DailyBillStatus)bill.Status,
            Method = (V1.SettlementMethod)bill.Method,
            CloudAccountId = bill.CloudAccountId ?? "",
            PriceListId = bill.PriceListId,
            PaidByVouchers = bill.PaidByVouchers.ToMoney(),
            PaidByPrepaidCards = bill.PaidByPrepaidCards.ToMoney(),
            PaidByCash = bill.PaidByCash.ToMoney(),
            Arrears = bill.Arrears.ToMoney(),
            CloudAmount = bill.CloudAmount.ToMoney(),
            TransactionId = bill.TransactionId ?? "",
            CreateTime = bill.CreatedAt.ToTimestamp(),
            ChargeTime = bill.ChargedAt.ToTimestamp(),
            WorkspaceName = view.WorkspaceName,
        };
        message.Lines.Add(view.Lines.Select(l => new V1.DailyBillLine
        {
            Item = (V1.BillingItem)l.Item,
            Quantity = l.Quantity,
            Units = l.UnitsHundredths.ToUnits(),
            UnitPrice = l.UnitPriceMicros.ToUnitPrice(),
            PriceUnit = BillingItems.Get(l.Item).PriceUnit,
            RetentionDays = l.RetentionDays,
            Amount = l.Amount.ToMoney(),
        }));
        return message;
    }

    public static V1.ConsumptionSummary ToMessage(this ConsumptionSummary summary)
    {
        var message = new V1.ConsumptionSummary
        {
            WorkspaceId = summary.WorkspaceId,
            Today = summary.Today.ToMessage(),
            Yesterday = summary.Yesterday.ToMessage(),
            YesterdayClosed = summary.YesterdayClosed,
            YesterdayAmount = summary.YesterdayAmount.ToMoney(),
            MonthToDateAmount = summary.MonthToDateAmount.ToMoney(),
            TotalAmount = summary.TotalAmount.ToMoney(),
        };
        message.Items.Add(summary.Items.Select(i => new V1.ItemConsumption
        {
            Item = (V1.BillingItem)i.Item,
            Yesterday = i.Yesterday.ToMoney(),
            MonthToDate = i.MonthToDate.ToMoney(),
            Total = i.Total.ToMoney(),
        }));
        return message;
    }

    public static V1.ClockMode ToMessage(this ClockMode mode) => mode == ClockMode.Simulated ? V1.ClockMode.Simulated : V1.ClockMode.System;
}
