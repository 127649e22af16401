namespace Guance.Billing.Common;

/// <summary>
/// The resource types of <see cref="Errors.NotFound"/> and <see cref="Errors.AlreadyExists"/>: a type
/// names the resource in ResourceInfo and, upper-cased, the reason <c>&lt;TYPE&gt;_NOT_FOUND</c>
/// (each listed in <see cref="ErrorReasons"/>).
/// </summary>
public static class ResourceTypes
{
    public const string ApiToken = "api token";
    public const string BillingAccount = "billing account";
    public const string BindingCode = "binding code";
    public const string CloudAccount = "cloud account";
    public const string Collector = "collector";
    public const string CollectorToken = "collector token";
    public const string HuaweiCardOrder = "huawei card order";
    public const string Invoice = "invoice";
    public const string InvoiceInfo = "invoice info";
    public const string InvoiceSource = "invoice source";
    public const string MailingAddress = "mailing address";
    public const string Member = "member";
    public const string MeteringRecord = "metering record";
    public const string MonthlyBill = "monthly bill";
    public const string PriceList = "price list";
    public const string Ticket = "ticket";
    public const string TicketAttachment = "ticket attachment";
    public const string User = "user";
    public const string Voucher = "voucher";
    public const string WebhookDelivery = "webhook delivery";
    public const string WebhookEndpoint = "webhook endpoint";
    public const string Workspace = "workspace";
}
