using Grpc.Core;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>The generated clients of every service over one channel and token.</summary>
public sealed class Api(CallInvoker invoker)
{
    public IdentityService.IdentityServiceClient Identity { get; } = new(invoker);
    public WorkspaceService.WorkspaceServiceClient Workspaces { get; } = new(invoker);
    public BillingAccountService.BillingAccountServiceClient BillingAccounts { get; } = new(invoker);
    public UsageService.UsageServiceClient Usage { get; } = new(invoker);
    public SettlementService.SettlementServiceClient Settlement { get; } = new(invoker);
    public MonthlyBillService.MonthlyBillServiceClient MonthlyBills { get; } = new(invoker);
    public CloudMarketplaceService.CloudMarketplaceServiceClient CloudMarketplace { get; } = new(invoker);
    public ConsumptionAlertService.ConsumptionAlertServiceClient ConsumptionAlerts { get; } = new(invoker);
    public InvoiceService.InvoiceServiceClient Invoices { get; } = new(invoker);
    public TicketService.TicketServiceClient Tickets { get; } = new(invoker);
    public WebhookService.WebhookServiceClient Webhooks { get; } = new(invoker);
    public CallInvoker Invoker => invoker;
}
