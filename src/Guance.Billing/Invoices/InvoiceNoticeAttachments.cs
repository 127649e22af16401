using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Invoices;

/// <summary>An electronic invoice goes by e-mail (docs/domain.md §8): its PDF is attached to the notice that it is issued.</summary>
public sealed class InvoiceNoticeAttachments(IServiceScopeFactory scopes) : INoticeAttachments
{
    public async Task<IReadOnlyList<NoticeAttachment>> ForAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (notification.Kind != NotificationKind.InvoiceIssued)
        {
            return [];
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var document = await (from d in db.InvoiceDocuments.AsNoTracking()
                              join i in db.Invoices.AsNoTracking() on d.InvoiceId equals i.Id
                              where i.Id == notification.Reference
                              select new { i.InvoiceNumber, d.Content }).FirstOrDefaultAsync(cancellationToken);
        return document is null ? [] : [new NoticeAttachment($"invoice-{document.InvoiceNumber}.pdf", "application/pdf", document.Content)];
    }
}
