// A customer of the official website registers a commercial plan in one step, then redeems a Huawei
// Cloud stored-value card order, through the generated client against the real host on loopback.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  billingError,
  Code,
  createBillingClient,
  HuaweiCardOrderState,
  Plan,
  PrepaidCardOrigin,
  SettlementMethod,
  WorkspaceRole,
  type BillingClient,
} from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("one-step commercial registration", () => {
  let host: RunningHost;
  let anonymous: BillingClient;
  let operator: BillingClient;
  let billing: BillingClient;
  let billingAccountId: string;
  const unique = `${process.pid}${Date.now()}`;
  const orderNumber = `CS${unique}`;

  before(async () => {
    host = await startHost();
    anonymous = createBillingClient({ baseUrl: host.baseUrl });
    operator = createBillingClient({ baseUrl: host.baseUrl, token: host.operatorToken });
  });

  after(async () => {
    await host?.stop();
  });

  it("registers the console account, the billing account and a bound commercial workspace", async () => {
    const registered = await anonymous.identity.registerCommercial({
      email: `founder.${unique}@example.com`,
      password: "correct horse battery",
      username: `acme-${unique}`,
      displayName: "Founder",
      siteCode: "cn4",
      workspaceName: "Production",
    });
    assert.match(registered.token, /^gcu_/);
    assert.match(registered.billingToken, /^gcb_/);
    const workspace = registered.workspace!;
    assert.equal(workspace.plan, Plan.COMMERCIAL);
    assert.equal(workspace.callerRole, WorkspaceRole.OWNER);
    assert.equal(workspace.ownerUserId, registered.user?.userId);
    billingAccountId = registered.billingAccount!.billingAccountId;

    const owner = createBillingClient({ baseUrl: host.baseUrl, token: registered.token });
    const settlement = await owner.settlement.getSettlement({ workspaceId: workspace.workspaceId });
    assert.equal(settlement.settlement?.method, SettlementMethod.BILLING_CENTER);
    billing = createBillingClient({ baseUrl: host.baseUrl, token: registered.billingToken });
    const bound = await billing.billingAccounts.listBoundWorkspaces({ billingAccountId });
    assert.deepEqual(bound.workspaces.map((w) => w.workspaceId), [workspace.workspaceId]);
  });

  it("refuses a second registration with the same user name, creating nothing", async () => {
    const error = await anonymous.identity
      .registerCommercial({
        email: `second.${unique}@example.com`,
        password: "correct horse battery",
        username: `ACME-${unique}`,
        displayName: "Second",
        siteCode: "cn1",
        workspaceName: "Other",
      })
      .then(() => assert.fail("registered twice"), billingError);
    assert.equal(error.code, Code.AlreadyExists);
    assert.equal(error.reason, "USERNAME_TAKEN");
  });

  it("redeems a Huawei Cloud order as a prepaid card of Huawei origin", async () => {
    const submitted = await billing.billingAccounts.submitHuaweiCardOrder({ billingAccountId, huaweiAccountId: "hw-buyer", orderNumber });
    assert.equal(submitted.order?.state, HuaweiCardOrderState.SUBMITTED);

    const confirmed = await operator.cloudMarketplace.confirmHuaweiCardOrder({ orderNumber, units: 5 });
    assert.equal(confirmed.prepaidCard?.origin, PrepaidCardOrigin.HUAWEI_CLOUD);
    assert.equal(confirmed.prepaidCard?.faceValue?.units, 500n);

    const cards = await billing.billingAccounts.listPrepaidCards({ billingAccountId });
    assert.deepEqual(cards.prepaidCards.map((c) => c.prepaidCardId), [confirmed.prepaidCard?.prepaidCardId]);
    const orders = await billing.billingAccounts.listHuaweiCardOrders({ billingAccountId });
    assert.equal(orders.orders[0]?.state, HuaweiCardOrderState.CONFIRMED);
  });
});
