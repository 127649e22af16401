using Guance.Billing.BillingAccounts;
using Guance.Billing.Identity;
using Guance.Billing.MonthlyBills;
using Guance.Billing.Notifications;
using Guance.Billing.Pricing;
using Guance.Billing.Settlement;
using Guance.Billing.Wallets;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Data;

/// <summary>
/// The billing database. Entity configurations live beside it in <c>Configurations/</c>; every
/// name is snake_case and every instant is stored as Unix microseconds, on SQLite and PostgreSQL alike.
/// </summary>
public sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<GuessThrottle> GuessThrottles => Set<GuessThrottle>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();
    public DbSet<RetentionChange> RetentionChanges => Set<RetentionChange>();
    public DbSet<BillingAccount> BillingAccounts => Set<BillingAccount>();
    public DbSet<EnterpriseCertification> EnterpriseCertifications => Set<EnterpriseCertification>();
    public DbSet<CloudAccount> CloudAccounts => Set<CloudAccount>();
    public DbSet<BindingCode> BindingCodes => Set<BindingCode>();
    public DbSet<WorkspaceBinding> WorkspaceBindings => Set<WorkspaceBinding>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<Voucher> Vouchers => Set<Voucher>();
    public DbSet<PrepaidCard> PrepaidCards => Set<PrepaidCard>();
    public DbSet<HuaweiCardOrder> HuaweiCardOrders => Set<HuaweiCardOrder>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NoticeDelivery> NoticeDeliveries => Set<NoticeDelivery>();
    public DbSet<Notifications.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Notifications.Webhooks.WebhookEndpoint>();
    public DbSet<Notifications.Webhooks.WebhookAttempt> WebhookAttempts => Set<Notifications.Webhooks.WebhookAttempt>();
    public DbSet<UsagePoint> UsagePoints => Set<UsagePoint>();
    public DbSet<UsageCollector> UsageCollectors => Set<UsageCollector>();
    public DbSet<UsageHourlyRollup> UsageHourlyRollups => Set<UsageHourlyRollup>();
    public DbSet<UsageDailyRollup> UsageDailyRollups => Set<UsageDailyRollup>();
    public DbSet<CollectorSequenceReset> CollectorSequenceResets => Set<CollectorSequenceReset>();
    public DbSet<PriceList> PriceLists => Set<PriceList>();
    public DbSet<PriceListEntry> PriceListEntries => Set<PriceListEntry>();
    public DbSet<WorkspaceSettlement> WorkspaceSettlements => Set<WorkspaceSettlement>();
    public DbSet<SettlementChange> SettlementChanges => Set<SettlementChange>();
    public DbSet<DayClose> DayCloses => Set<DayClose>();
    public DbSet<DayCloseClaim> DayCloseClaims => Set<DayCloseClaim>();
    public DbSet<DailyBill> DailyBills => Set<DailyBill>();
    public DbSet<DailyBillLine> DailyBillLines => Set<DailyBillLine>();
    public DbSet<MonthlyConsumption> MonthlyConsumption => Set<MonthlyConsumption>();
    public DbSet<MonthlyBill> MonthlyBills => Set<MonthlyBill>();
    public DbSet<MonthlyBillWorkspace> MonthlyBillWorkspaces => Set<MonthlyBillWorkspace>();
    public DbSet<MonthlyBillLine> MonthlyBillLines => Set<MonthlyBillLine>();
    public DbSet<Cloud.CloudMeteringLine> CloudMeteringLines => Set<Cloud.CloudMeteringLine>();
    public DbSet<Cloud.CloudMeteringRecord> CloudMeteringRecords => Set<Cloud.CloudMeteringRecord>();
    public DbSet<Alerts.ConsumptionAlert> ConsumptionAlerts => Set<Alerts.ConsumptionAlert>();
    public DbSet<Alerts.ConsumptionAlertHit> ConsumptionAlertHits => Set<Alerts.ConsumptionAlertHit>();
    public DbSet<Invoices.InvoiceInfo> InvoiceInfos => Set<Invoices.InvoiceInfo>();
    public DbSet<Invoices.MailingAddress> MailingAddresses => Set<Invoices.MailingAddress>();
    public DbSet<Invoices.Invoice> Invoices => Set<Invoices.Invoice>();
    public DbSet<Invoices.InvoiceLine> InvoiceLines => Set<Invoices.InvoiceLine>();
    public DbSet<Invoices.InvoiceEvent> InvoiceEvents => Set<Invoices.InvoiceEvent>();
    public DbSet<Invoices.InvoiceDocument> InvoiceDocuments => Set<Invoices.InvoiceDocument>();
    public DbSet<Invoices.TakenInvoiceNumber> TakenInvoiceNumbers => Set<Invoices.TakenInvoiceNumber>();
    public DbSet<Tickets.Ticket> Tickets => Set<Tickets.Ticket>();
    public DbSet<Tickets.TicketMessage> TicketMessages => Set<Tickets.TicketMessage>();
    public DbSet<Tickets.TicketAttachment> TicketAttachments => Set<Tickets.TicketAttachment>();
    public DbSet<Tickets.TicketAttachmentContent> TicketAttachmentContents => Set<Tickets.TicketAttachmentContent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BillingDbContext).Assembly);
        SnakeCaseNames.Apply(modelBuilder);
        OrdinalText.Apply(modelBuilder, Database);
    }
}
