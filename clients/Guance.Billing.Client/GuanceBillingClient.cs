using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Client;

/// <summary>
/// The generated client of every service over one channel, with the token, retries of idempotent
/// reads and default deadlines set up. Create one per host and token and keep it: it is thread-safe,
/// and its channel pools the HTTP/2 connection.
/// </summary>
/// <example><code>
/// using var billing = GuanceBillingClient.Create("http://127.0.0.1:50051", token);
/// var me = await billing.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
/// </code></example>
public sealed class GuanceBillingClient : IDisposable
{
    public GuanceBillingClient(GuanceBillingClientOptions options)
    {
        Options = options;
        Channel = GuanceChannel.Create(options);
        CallInvoker = options.DefaultDeadline is { } deadline
            ? Channel.Intercept(new DefaultDeadlineInterceptor(deadline))
            : Channel.CreateCallInvoker();
        Identity = new(CallInvoker);
        Workspaces = new(CallInvoker);
        BillingAccounts = new(CallInvoker);
        Usage = new(CallInvoker);
        Settlement = new(CallInvoker);
        MonthlyBills = new(CallInvoker);
        CloudMarketplace = new(CallInvoker);
        ConsumptionAlerts = new(CallInvoker);
        Invoices = new(CallInvoker);
        Tickets = new(CallInvoker);
        Webhooks = new(CallInvoker);
    }

    /// <summary>A client of the host at <paramref name="address"/> (see <see cref="GuanceAddress.Parse"/>), calling with <paramref name="token"/>.</summary>
    public static GuanceBillingClient Create(string address, string? token = null) =>
        new(new GuanceBillingClientOptions { Address = GuanceAddress.Parse(address), Token = token });

    public GuanceBillingClientOptions Options { get; }

    public GrpcChannel Channel { get; }

    /// <summary>The channel with the default deadline: build any other client on it.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>IdentityService: sign up, sign in, API tokens.</summary>
    public IdentityService.IdentityServiceClient Identity { get; }

    /// <summary>WorkspaceService: sites, workspaces, members, retention, collector tokens.</summary>
    public WorkspaceService.WorkspaceServiceClient Workspaces { get; }

    /// <summary>BillingAccountService: billing-center accounts, certification, cloud accounts, binding codes, the wallet.</summary>
    public BillingAccountService.BillingAccountServiceClient BillingAccounts { get; }

    /// <summary>UsageService: billing items, usage reports and statistics (agents: use <see cref="Guance.Billing.Client.Usage.UsageUploader"/> with <see cref="CallInvoker"/>).</summary>
    public UsageService.UsageServiceClient Usage { get; }

    /// <summary>SettlementService: upgrade and binding, settlement methods, price lists, day close, daily bills, arrears, the clock.</summary>
    public SettlementService.SettlementServiceClient Settlement { get; }

    /// <summary>MonthlyBillService: a billing account's monthly bills and their CSV export.</summary>
    public MonthlyBillService.MonthlyBillServiceClient MonthlyBills { get; }

    /// <summary>CloudMarketplaceService: metering records for the cloud marketplaces and their cancellation notices (operator).</summary>
    public CloudMarketplaceService.CloudMarketplaceServiceClient CloudMarketplace { get; }

    /// <summary>ConsumptionAlertService: high-consumption thresholds per item of a workspace.</summary>
    public ConsumptionAlertService.ConsumptionAlertServiceClient ConsumptionAlerts { get; }

    /// <summary>InvoiceService: invoice information, addresses, invoiceable sources, requests and the operator's desk.</summary>
    public InvoiceService.InvoiceServiceClient Invoices { get; }
    /// <summary>TicketService: support tickets, their threads and attachments.</summary>
    public TicketService.TicketServiceClient Tickets { get; }

    /// <summary>WebhookService: a billing account's webhook endpoints.</summary>
    public WebhookService.WebhookServiceClient Webhooks { get; }

    public void Dispose() => Channel.Dispose();
}
