// A webhook endpoint through the generated client against the real host on loopback: a billing
// account registers one (the secret is shown once), lists it, and after support answers its ticket
// (a notice of the account) finds the delivery of that notice in the endpoint's deliveries.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  billingError,
  Code,
  createBillingClient,
  NotificationKind,
  TicketType,
  WebhookDeliveryState,
  type BillingClient,
} from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("a webhook endpoint", () => {
  let host: RunningHost;
  let account: BillingClient;
  let support: BillingClient;
  let billingAccountId: string;
  let webhookEndpointId: string;

  before(async () => {
    host = await startHost();
    const anonymous = createBillingClient({ baseUrl: host.baseUrl });
    const username = `ts-hooks-${process.pid}-${Date.now()}`.slice(0, 30);
    const registered = await anonymous.billingAccounts.registerBillingAccount({
      username,
      password: "correct horse battery",
      email: `${username}@example.com`,
    });
    billingAccountId = registered.billingAccount!.billingAccountId;
    account = createBillingClient({ baseUrl: host.baseUrl, token: registered.token });
    support = createBillingClient({ baseUrl: host.baseUrl, token: host.operatorToken });
  });

  after(async () => {
    await host?.stop();
  });

  it("creates an endpoint and shows its secret once", async () => {
    const created = await account.webhooks.createWebhookEndpoint({
      billingAccountId,
      webhookEndpoint: { url: "https://hooks.example.com/guance", kinds: [NotificationKind.TICKET_REPLIED], description: "finance system" },
    });
    assert.match(created.webhookEndpoint!.webhookEndpointId, /^whe_/);
    assert.match(created.secret, /^whsec_/);
    assert.equal(created.webhookEndpoint!.enabled, true);
    webhookEndpointId = created.webhookEndpoint!.webhookEndpointId;
  });

  it("refuses a plain http URL that is not loopback, naming the field", async () => {
    try {
      await account.webhooks.createWebhookEndpoint({ billingAccountId, webhookEndpoint: { url: "http://hooks.example.com/guance" } });
      assert.fail("the http URL was accepted");
    } catch (e) {
      const error = billingError(e);
      assert.equal(error.code, Code.InvalidArgument);
      assert.deepEqual(error.fieldViolations.map((v) => v.field), ["webhook_endpoint.url"]);
    }
  });

  it("lists the endpoint without its secret", async () => {
    const listed = await account.webhooks.listWebhookEndpoints({ billingAccountId });
    assert.deepEqual(listed.webhookEndpoints.map((e) => e.webhookEndpointId), [webhookEndpointId]);
    assert.deepEqual(listed.webhookEndpoints[0].kinds, [NotificationKind.TICKET_REPLIED]);
  });

  it("lists the delivery of a notice of the account", async () => {
    const created = await account.tickets.createTicket({
      billingAccountId,
      type: TicketType.OTHER,
      title: "Webhook test",
      description: "Tell my finance system.",
      requestId: `ts-hook-${Date.now()}`,
    });
    const ticketId = created.ticket!.ticketId;
    await support.tickets.acceptTicket({ ticketId });
    await support.tickets.replyToTicket({ ticketId, text: "Done.", requestId: `ts-hook-reply-${Date.now()}` });

    const listed = await account.webhooks.listWebhookDeliveries({ webhookEndpointId });
    assert.equal(listed.deliveries.length, 1);
    const delivery = listed.deliveries[0];
    assert.equal(delivery.kind, NotificationKind.TICKET_REPLIED);
    assert.notEqual(delivery.state, WebhookDeliveryState.UNSPECIFIED);
    assert.match(delivery.deliveryId, /^ndl_/);
  });
});
