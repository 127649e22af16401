using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Wallets, lots, ledger transactions, charges, audits and notifications as messages of the contract.</summary>
public static class WalletMapping
{
    public static V1.Wallet ToMessage(this WalletView wallet) => new()
    {
        BillingAccountId = wallet.BillingAccountId,
        Cash = wallet.Cash.ToMoney(),
        OrdinaryVouchers = wallet.OrdinaryVouchers.ToMoney(),
        FullReductionVouchers = wallet.FullReductionVouchers.ToMoney(),
        PrepaidCards = wallet.PrepaidCards.ToMoney(),
        Arrears = wallet.Arrears.ToMoney(),
        ArrearsSince = wallet.ArrearsSince.ToTimestamp(),
        Available = wallet.Available.ToMoney(),
    };

    public static V1.Voucher ToMessage(this VoucherView view) => new()
    {
        VoucherId = view.Voucher.Id,
        BillingAccountId = view.Voucher.BillingAccountId ?? "",
        Kind = (V1.VoucherKind)view.Voucher.Kind,
        FaceValue = view.Voucher.FaceValue.ToMoney(),
        Balance = view.Balance.ToMoney(),
        StartTime = view.Voucher.ValidFrom.ToTimestamp(),
        ExpireTime = view.Voucher.ExpiresAt.ToTimestamp(),
        State = (V1.LotState)view.State,
        IssueTime = view.Voucher.IssuedAt.ToTimestamp(),
        RedeemTime = view.Voucher.RedeemedAt.ToTimestamp(),
        PrepaidCardId = view.Voucher.PrepaidCardId ?? "",
    };

    public static V1.PrepaidCard ToMessage(this PrepaidCardView view) => new()
    {
        PrepaidCardId = view.Card.Id,
        BillingAccountId = view.Card.BillingAccountId,
        FaceValue = view.Card.FaceValue.ToMoney(),
        Balance = view.Balance.ToMoney(),
        ExpireTime = view.Card.ExpiresAt.ToTimestamp(),
        State = (V1.LotState)view.State,
        IssueTime = view.Card.IssuedAt.ToTimestamp(),
        ExpiryNoticeTime = view.Card.ExpiryNoticeSentAt.ToTimestamp(),
        FullReductionVoucherId = view.Card.FullReductionVoucherId ?? "",
        Origin = (V1.PrepaidCardOrigin)view.Card.Origin,
    };

    public static V1.HuaweiCardOrder ToMessage(this HuaweiCardOrder order) => new()
    {
        HuaweiCardOrderId = order.Id,
        BillingAccountId = order.BillingAccountId,
        HuaweiAccountId = order.HuaweiAccountId,
        OrderNumber = order.OrderNumber,
        State = (V1.HuaweiCardOrderState)order.State,
        Units = order.Units,
        FaceValue = order.State == HuaweiCardOrderState.Confirmed ? (order.Units * PrepaidCardManager.FaceValueStep).ToMoney() : null,
        PrepaidCardId = order.PrepaidCardId ?? "",
        RejectReason = order.RejectReason,
        SubmitTime = order.SubmittedAt.ToTimestamp(),
        DecideTime = order.DecidedAt.ToTimestamp(),
    };

    public static V1.WalletTransaction ToMessage(this PostedTransaction posted)
    {
        var t = posted.Transaction;
        var message = new V1.WalletTransaction
        {
            TransactionId = t.Id,
            BillingAccountId = t.BillingAccountId,
            Kind = (V1.TransactionKind)t.Kind,
            Reference = t.Reference,
            Amount = t.Amount.ToMoney(),
            Description = t.Description,
            CreateTime = t.CreatedAt.ToTimestamp(),
        };
        message.Postings.Add(posted.Entries.Select(e => new V1.LedgerPosting
        {
            AccountKind = (V1.LedgerAccountKind)e.AccountKind,
            LotId = e.LotId ?? "",
            Amount = e.Entry.Amount.ToMoney(),
            BalanceAfter = e.Entry.BalanceAfter.ToMoney(),
            ItemCode = e.Entry.ItemCode ?? "",
        }));
        return message;
    }

    public static V1.ChargeResult ToMessage(this ChargeResult result)
    {
        var message = new V1.ChargeResult
        {
            TransactionId = result.TransactionId,
            Reference = result.Reference,
            Total = result.Total.ToMoney(),
            AddedArrears = result.AddedArrears.ToMoney(),
            CloudAmount = result.CloudAmount.ToMoney(),
            CreateTime = result.CreatedAt.ToTimestamp(),
        };
        message.Allocations.Add(result.Allocations.Select(a => new V1.ChargeAllocation
        {
            ItemCode = a.ItemCode,
            Source = (V1.FundingSource)a.Source,
            LotId = a.LotId ?? "",
            Amount = a.Amount.ToMoney(),
        }));
        return message;
    }

    public static V1.VerifyLedgerResponse ToMessage(this LedgerReport report)
    {
        var message = new V1.VerifyLedgerResponse
        {
            Clean = report.Clean,
            TransactionsChecked = report.TransactionsChecked,
            EntriesChecked = report.EntriesChecked,
            AccountsChecked = report.AccountsChecked,
        };
        message.Problems.Add(report.Problems.Select(p => new V1.LedgerProblem
        {
            Kind = (V1.LedgerProblemKind)p.Kind,
            Subject = p.Subject,
            Description = p.Description,
        }));
        return message;
    }

    public static V1.Notification ToMessage(this NotificationWithDeliveries item)
    {
        var (notification, deliveries) = item;
        var message = new V1.Notification
        {
            NotificationId = notification.Id,
            Kind = (V1.NotificationKind)notification.Kind,
            BillingAccountId = notification.BillingAccountId ?? "",
            Recipient = notification.Recipient,
            Subject = notification.Subject,
            Body = notification.Body,
            Reference = notification.Reference,
            CreateTime = notification.CreatedAt.ToTimestamp(),
            DeliverTime = deliveries.Count > 0 && deliveries.All(d => d.State == DeliveryState.Sent) ? deliveries.Max(d => d.CompletedAt).ToTimestamp() : null,
            Attempts = deliveries.Sum(d => d.Attempts),
            LastError = LastError(deliveries),
        };
        message.Channels.Add(deliveries.GroupBy(d => d.Channel).Select(channel => new V1.NotificationChannelDeliveries
        {
            Channel = (V1.NotificationChannel)channel.Key,
            Pending = channel.Count(d => d.State == DeliveryState.Pending),
            Sent = channel.Count(d => d.State == DeliveryState.Sent),
            Failed = channel.Count(d => d.State == DeliveryState.Failed),
            Attempts = channel.Sum(d => d.Attempts),
            LastError = LastError(channel),
            NextAttemptTime = channel.Where(d => d.State == DeliveryState.Pending).Min(d => (DateTimeOffset?)d.NextAttemptAt).ToTimestamp(),
        }));
        return message;
    }

    private static string LastError(IEnumerable<NoticeDelivery> deliveries) =>
        deliveries.Where(d => d.LastError is not null).OrderByDescending(d => d.NextAttemptAt).Select(d => d.LastError).FirstOrDefault() ?? "";
}
