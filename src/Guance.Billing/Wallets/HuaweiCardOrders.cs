using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Wallets;

/// <summary>A confirmed order, its card now, what the card paid of arrears when issued, and whether this call issued it.</summary>
public sealed record HuaweiCardConfirmation(HuaweiCardOrder Order, PrepaidCardView Card, long ArrearsPaid, bool Replayed);

/// <summary>
/// Huawei Cloud stored-value cards (docs/domain.md §8): the account submits its Huawei account id and the
/// order number; the marketplace integration (operator) confirms the order with its units, and the order
/// becomes a prepaid card of units × 100 CNY through <see cref="PrepaidCardManager"/> (so it pays arrears
/// first, §6), exactly once; or rejects it. The card is valid one year from the confirmation unless the
/// confirmation names its expiry.
/// </summary>
public sealed class HuaweiCardOrders(
    BillingDbContext db,
    BillingAccountAccess access,
    WalletLedger ledger,
    PrepaidCardManager cards,
    NotificationOutbox outbox,
    GuessThrottler throttler,
    TimeProvider clock)
{
    public const int MaxUnits = 10_000;
    private const int MaxReference = 64;
    private const int MaxReason = 512;
    private const string OrderList = "huawei_card_orders";
    private const string ReferenceRule = "must be 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'";

    public async Task<HuaweiCardOrder> SubmitAsync(Caller caller, string billingAccountId, string? huaweiAccountId, string? orderNumber, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Check(IsReference(huaweiAccountId), "huawei_account_id", ReferenceRule)
            .Check(IsReference(orderNumber), "order_number", ReferenceRule);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken, validator);

        // The answer tells whether an order number was submitted, by anyone: counted like a name lookup.
        var lookup = await throttler.CheckLookupAsync(caller.ClientAddress, ErrorReasons.GuessesThrottled, cancellationToken);
        if (await db.HuaweiCardOrders.AnyAsync(o => o.OrderNumber == orderNumber, cancellationToken))
        {
            await throttler.RecordFailureAsync(lookup, cancellationToken);
            throw OrderTaken(orderNumber!);
        }
        var order = new HuaweiCardOrder
        {
            Id = Ids.New("hco", clock),
            BillingAccountId = billingAccountId,
            HuaweiAccountId = huaweiAccountId!,
            OrderNumber = orderNumber!,
            State = HuaweiCardOrderState.Submitted,
            SubmittedAt = clock.GetUtcNow(),
        };
        db.HuaweiCardOrders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw OrderTaken(orderNumber!);
        }
        return order;
    }

    /// <summary>The account's orders (its session or the operator), or every account's (the operator, no account named); newest first.</summary>
    public async Task<(IReadOnlyList<HuaweiCardOrder> Orders, string NextPageToken)> ListAsync(
        Caller caller, string? billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{OrderList}:{billingAccountId}", out var page);
        var query = db.HuaweiCardOrders.AsNoTracking();
        if (string.IsNullOrEmpty(billingAccountId) && caller.Kind == CallerKind.Operator)
        {
            validator.ThrowIfInvalid();
        }
        else
        {
            await access.AuthorizeAsync(caller, billingAccountId!, BillingAccountPermission.View, cancellationToken, validator);
            query = query.Where(o => o.BillingAccountId == billingAccountId);
        }
        return await page.FetchAsync(query, o => o.Id, cancellationToken);
    }

    public async Task<HuaweiCardConfirmation> ConfirmAsync(Caller caller, string? orderNumber, int units, DateTimeOffset? expireTime, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var now = clock.GetUtcNow();
        new RequestValidator()
            .Check(IsReference(orderNumber), "order_number", ReferenceRule)
            .Check(units is >= 1 and <= MaxUnits, "units", $"must be 1 to {MaxUnits}: the cards of 100 CNY the order bought")
            .Check(expireTime is null || expireTime > now, "expire_time", "must be in the future")
            .ThrowIfInvalid();
        var found = await FindAsync(orderNumber!, cancellationToken);

        return await ledger.WriteAsync(found.BillingAccountId, async book =>
        {
            // Read again under the wallet's lock: a concurrent confirmation of the same order has committed by now.
            var order = await db.HuaweiCardOrders.FirstAsync(o => o.Id == found.Id, cancellationToken);
            if (order.State == HuaweiCardOrderState.Confirmed && order.Units == units)
            {
                return await ReplayAsync(order, cancellationToken);
            }
            if (order.State != HuaweiCardOrderState.Submitted)
            {
                throw Decided(order, order.State == HuaweiCardOrderState.Rejected
                    ? "The order was rejected; it cannot be confirmed."
                    : $"The order was confirmed with {order.Units} units; it cannot be confirmed with others.");
            }
            var faceValue = units * PrepaidCardManager.FaceValueStep;
            var fingerprint = RequestFingerprint.Of("huawei-card", order.Id, faceValue);
            var (card, lot, arrearsPaid) = cards.Open(book, new CardIssue(faceValue, expireTime ?? book.Now.AddYears(1), "huawei-order:" + order.Id, fingerprint,
                order.OrderNumber, PrepaidCardOrigin.HuaweiCloud, $"Prepaid card {Cny.Format(faceValue)}, Huawei Cloud order {order.OrderNumber}"));
            order.State = HuaweiCardOrderState.Confirmed;
            order.Units = units;
            order.PrepaidCardId = card.Id;
            order.DecidedAt = book.Now;
            order.Version++;
            var account = await AccountAsync(order.BillingAccountId, cancellationToken);
            outbox.Add(new NotificationDraft(NotificationKind.HuaweiCardOrderConfirmed, order.BillingAccountId, account.Email,
                new NoticeValues().Text("order", order.OrderNumber).Text("account", account.Username).Text("card", card.Id)
                    .Money("face_value", faceValue).Time("expires_at", card.ExpiresAt),
                order.Id, $"huawei_card_order_confirmed:{order.Id}"), book.Now);
            return new HuaweiCardConfirmation(order, PrepaidCardManager.View(card, lot.Balance, book.Now), arrearsPaid, Replayed: false);
        }, cancellationToken);
    }

    public async Task<HuaweiCardOrder> RejectAsync(Caller caller, string? orderNumber, string? reason, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        new RequestValidator()
            .Check(IsReference(orderNumber), "order_number", ReferenceRule)
            .Text(reason?.Trim(), "reason", MaxReason)
            .ThrowIfInvalid();
        var order = await FindAsync(orderNumber!, cancellationToken);
        if (order.State == HuaweiCardOrderState.Rejected)
        {
            return order;
        }
        if (order.State != HuaweiCardOrderState.Submitted)
        {
            throw Decided(order, "The order was confirmed; it cannot be rejected.");
        }
        var now = clock.GetUtcNow();
        var trimmed = reason!.Trim();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The conditional update is the guard against a concurrent confirmation (which bumps the version too).
        var rejected = await db.HuaweiCardOrders
            .Where(o => o.Id == order.Id && o.Version == order.Version && o.State == HuaweiCardOrderState.Submitted)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, HuaweiCardOrderState.Rejected)
                .SetProperty(o => o.RejectReason, trimmed)
                .SetProperty(o => o.DecidedAt, now)
                .SetProperty(o => o.Version, o => o.Version + 1), cancellationToken);
        if (rejected == 0)
        {
            throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The order changed while this request ran; list it again and retry.");
        }
        var account = await AccountAsync(order.BillingAccountId, cancellationToken);
        outbox.Add(new NotificationDraft(NotificationKind.HuaweiCardOrderRejected, order.BillingAccountId, account.Email,
            new NoticeValues().Text("order", order.OrderNumber).Text("account", account.Username).Text("reason", trimmed),
            order.Id, $"huawei_card_order_rejected:{order.Id}"), now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await db.HuaweiCardOrders.AsNoTracking().FirstAsync(o => o.Id == order.Id, cancellationToken);
    }

    /// <summary>1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'.</summary>
    public static bool IsReference(string? value) =>
        value is { Length: >= 1 and <= MaxReference } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private async Task<HuaweiCardOrder> FindAsync(string orderNumber, CancellationToken cancellationToken) =>
        await db.HuaweiCardOrders.AsNoTracking().FirstOrDefaultAsync(o => o.OrderNumber == orderNumber, cancellationToken)
        ?? throw Errors.NotFound(ResourceTypes.HuaweiCardOrder, orderNumber);

    private async Task<HuaweiCardConfirmation> ReplayAsync(HuaweiCardOrder order, CancellationToken cancellationToken)
    {
        var card = await db.PrepaidCards.AsNoTracking().FirstAsync(c => c.Id == order.PrepaidCardId, cancellationToken);
        var balance = await db.LedgerAccounts.AsNoTracking().Where(a => a.Id == card.Id).Select(a => a.Balance).FirstOrDefaultAsync(cancellationToken);
        var arrearsPaid = await cards.ArrearsPaidAsync(card, cancellationToken);
        return new HuaweiCardConfirmation(order, PrepaidCardManager.View(card, balance, clock.GetUtcNow()), arrearsPaid, Replayed: true);
    }

    private async Task<(string Username, string Email)> AccountAsync(string billingAccountId, CancellationToken cancellationToken)
    {
        var account = await db.BillingAccounts.AsNoTracking().Where(a => a.Id == billingAccountId)
            .Select(a => new { a.Username, a.Email }).FirstAsync(cancellationToken);
        return (account.Username, account.Email);
    }

    private static BillingException OrderTaken(string orderNumber) =>
        Errors.AlreadyExists(ErrorReasons.HuaweiOrderTaken, ResourceTypes.HuaweiCardOrder, orderNumber,
            "A Huawei Cloud card order with this order number was submitted already; an order is redeemed once.");

    private static BillingException Decided(HuaweiCardOrder order, string description) =>
        Errors.Precondition(ErrorReasons.HuaweiCardOrderDecided, $"huawei card order {order.OrderNumber}", description);
}
