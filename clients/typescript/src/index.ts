// The TypeScript client of the Guance billing backend: the generated messages and services of
// guance.billing.v1, a client factory over Connect's gRPC transport for Node.js, and typed errors.
export { createBillingClient, bearerToken, type BillingClient, type BillingClientOptions } from "./client.js";
export { billingError, codeName, errorDomain, type BillingError } from "./errors.js";
export { services } from "./services.js";
export * from "./gen/guance/billing/v1/common_pb.js";
export * from "./gen/guance/billing/v1/identity_service_pb.js";
export * from "./gen/guance/billing/v1/workspace_service_pb.js";
export * from "./gen/guance/billing/v1/billing_account_service_pb.js";
export * from "./gen/guance/billing/v1/usage_service_pb.js";
export * from "./gen/guance/billing/v1/settlement_service_pb.js";
export * from "./gen/guance/billing/v1/monthly_bill_service_pb.js";
export * from "./gen/guance/billing/v1/cloud_marketplace_service_pb.js";
export * from "./gen/guance/billing/v1/consumption_alert_service_pb.js";
export * from "./gen/guance/billing/v1/invoice_service_pb.js";
export * from "./gen/guance/billing/v1/ticket_service_pb.js";
export * from "./gen/guance/billing/v1/webhook_service_pb.js";
export * as rpc from "./gen/google/rpc/error_details_pb.js";
export { Code, ConnectError } from "@connectrpc/connect";
