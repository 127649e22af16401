using Guance.Billing.Notifications;

namespace Guance.Billing.Wallets;

/// <summary>Arrears began (a charge left some unpaid) or were paid in full (by a recharge or a card).</summary>
public enum ArrearsChangeKind
{
    Started = 1,
    Paid = 2,
}

/// <summary>What changed, in which ledger transaction.</summary>
/// <param name="ArrearsSince">When the arrears began (for Paid: when the arrears that are now paid began).</param>
/// <param name="Arrears">The arrears owed after the transaction, in cents (0 for Paid).</param>
public sealed record ArrearsChange(
    string BillingAccountId, ArrearsChangeKind Kind, DateTimeOffset ArrearsSince, long Arrears, string TransactionId, DateTimeOffset At);

/// <summary>
/// A hook for daily settlement (lock after 14 days of arrears, unlock when paid). Called inside the
/// wallet's database transaction, with the same scoped <c>BillingDbContext</c>, before commit: what a
/// listener writes commits atomically with the payment, and a listener that throws undoes it. When
/// the write loses a race and is retried, the listener is called again in the new transaction (the
/// first one's effects were rolled back): keep listeners to database work in that context.
/// Register any number with <c>services.AddScoped&lt;IArrearsListener, ...&gt;()</c>. The same events
/// also go to the outbox as ARREARS_STARTED notifications, added after every listener ran so that a
/// listener can name what it did in the notice, and ARREARS_PAID ones, added before the listeners (before
/// the unlocks they cause).
/// </summary>
public interface IArrearsListener
{
    /// <param name="change">What changed.</param>
    /// <param name="notice">
    /// The figures of the change's notice, not yet rendered: a listener may add its own to ARREARS_STARTED, which
    /// comes with the flag <c>locks</c> false (it promises no lock); a listener whose countdown locks
    /// workspaces sets it and adds <c>lock_at</c>, the date the notice then names.
    /// </param>
    /// <param name="cancellationToken">Cancels the wallet's write.</param>
    Task OnArrearsChangedAsync(ArrearsChange change, NoticeValues notice, CancellationToken cancellationToken);
}
