// The services of the contract, each under the name a BillingClient exposes it by. A service added
// to protos/ is one line here (the contract test fails until it is).
import { BillingAccountService } from "./gen/guance/billing/v1/billing_account_service_pb.js";
import { IdentityService } from "./gen/guance/billing/v1/identity_service_pb.js";
import { WorkspaceService } from "./gen/guance/billing/v1/workspace_service_pb.js";
import { UsageService } from "./gen/guance/billing/v1/usage_service_pb.js";
import { SettlementService } from "./gen/guance/billing/v1/settlement_service_pb.js";
import { MonthlyBillService } from "./gen/guance/billing/v1/monthly_bill_service_pb.js";
import { CloudMarketplaceService } from "./gen/guance/billing/v1/cloud_marketplace_service_pb.js";
import { ConsumptionAlertService } from "./gen/guance/billing/v1/consumption_alert_service_pb.js";
import { InvoiceService } from "./gen/guance/billing/v1/invoice_service_pb.js";
import { TicketService } from "./gen/guance/billing/v1/ticket_service_pb.js";
import { WebhookService } from "./gen/guance/billing/v1/webhook_service_pb.js";

export const services = {
  identity: IdentityService,
  workspaces: WorkspaceService,
  billingAccounts: BillingAccountService,
  usage: UsageService,
  settlement: SettlementService,
  monthlyBills: MonthlyBillService,
  cloudMarketplace: CloudMarketplaceService,
  consumptionAlerts: ConsumptionAlertService,
  invoices: InvoiceService,
  tickets: TicketService,
  webhooks: WebhookService,
} as const;
