// A workspace's life through the generated client against the real host on loopback. Each step
// builds on the ones before it (node:test runs the steps of a describe in order): sign up, a
// workspace, a colleague, a collector token; the agent reports usage and the Owner reads it back;
// then the billing-center account that will pay for it, and its wallet; at last the upgrade that
// binds the workspace to that account.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import {
  ActivationChannel,
  BillingItem,
  BindingCodeState,
  billingError,
  Code,
  createBillingClient,
  DataType,
  PaymentMethod,
  Plan,
  SettlementMethod,
  WorkspaceRole,
  type BillingClient,
} from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("a workspace's life", () => {
  let host: RunningHost;
  let anonymous: BillingClient;
  let owner: BillingClient;
  let colleague: BillingClient;
  let colleagueEmail: string;
  let colleagueUserId: string;
  let workspaceId: string;
  let collectorToken: string;
  let billingAccountId: string;
  let billingSession: BillingClient;

  before(async () => {
    host = await startHost();
    anonymous = createBillingClient({ baseUrl: host.baseUrl });
  });

  after(async () => {
    await host?.stop();
  });

  it("signs up the owner and a colleague", async () => {
    const unique = `${process.pid}.${Date.now()}`;
    const signedUp = await anonymous.identity.signUp({ email: `owner.${unique}@example.com`, password: "correct horse battery", displayName: "Owner" });
    assert.match(signedUp.token, /^gcu_/);
    owner = createBillingClient({ baseUrl: host.baseUrl, token: signedUp.token });
    const me = await owner.identity.getCurrentUser({});
    assert.equal(me.user?.userId, signedUp.user?.userId);

    colleagueEmail = `colleague.${unique}@example.com`;
    const signedUpColleague = await anonymous.identity.signUp({ email: colleagueEmail, password: "correct horse battery", displayName: "Colleague" });
    colleagueUserId = signedUpColleague.user!.userId;
    colleague = createBillingClient({ baseUrl: host.baseUrl, token: signedUpColleague.token });
  });

  it("creates an experience-plan workspace owned by the caller", async () => {
    const created = await owner.workspaces.createWorkspace({
      name: "Production",
      siteCode: "cn1",
      activationChannel: ActivationChannel.OFFICIAL_WEBSITE,
    });
    const workspace = created.workspace!;
    assert.match(workspace.workspaceId, /^ws_/);
    assert.equal(workspace.plan, Plan.EXPERIENCE);
    assert.equal(workspace.callerRole, WorkspaceRole.OWNER);
    assert.equal(workspace.retentions.length, 4);
    workspaceId = workspace.workspaceId;
  });

  it("adds the colleague as a Standard member", async () => {
    const added = await owner.workspaces.addMember({ workspaceId, email: colleagueEmail, role: WorkspaceRole.STANDARD });
    assert.equal(added.member?.userId, colleagueUserId);

    const members = await owner.workspaces.listMembers({ workspaceId });
    assert.deepEqual(
      members.members.map((m) => m.role).sort(),
      [WorkspaceRole.OWNER, WorkspaceRole.STANDARD].sort(),
    );
  });

  it("creates a collector token for the workspace's agents", async () => {
    const created = await owner.workspaces.createCollectorToken({ workspaceId, displayName: "prod hosts" });
    assert.match(created.token, /^gct_/);
    collectorToken = created.token;

    const listed = await owner.workspaces.listCollectorTokens({ workspaceId });
    assert.deepEqual(listed.collectorTokens.map((t) => t.displayName), ["prod hosts"]);
    assert.ok(collectorToken.length > 20);
  });

  it("takes a batch of usage from the collector, exactly once", async () => {
    const agent = createBillingClient({ baseUrl: host.baseUrl, token: collectorToken });
    const batch = {
      collectorId: "web-01",
      sequence: 1n,
      records: [
        { item: BillingItem.LOGS, quantity: 1200n, observedAt: timestampNow() },
        { item: BillingItem.TIME_SERIES, quantity: 850n, observedAt: timestampNow() },
      ],
    };
    const first = await agent.usage.reportUsage(batch);
    assert.deepEqual([first.sequence, first.duplicate], [1n, false]);
    const resent = await agent.usage.reportUsage(batch);
    assert.deepEqual([resent.sequence, resent.duplicate], [1n, true]);
  });

  it("shows the Owner today's usage and the experience quota left", async () => {
    const statistics = await owner.usage.getUsageStatistics({ workspaceId });
    const byItem = new Map(statistics.items.map((i) => [i.item, i]));
    const logs = byItem.get(BillingItem.LOGS)!;
    assert.deepEqual([logs.today, logs.monthToDate, logs.hasQuota, logs.dailyQuota, logs.remainingToday], [1200n, 1200n, true, 1_000_000n, 998_800n]);
    const timeSeries = byItem.get(BillingItem.TIME_SERIES)!;
    assert.deepEqual([timeSeries.today, timeSeries.dailyQuota, timeSeries.remainingToday], [850n, 3000n, 2150n]);
    assert.equal(byItem.get(BillingItem.APM_TRACE)?.today, 0n);

    const denied = await colleague.usage.getUsageStatistics({ workspaceId }).then(() => assert.fail("a Standard member read billing"), billingError);
    assert.equal(denied.code, Code.PermissionDenied);
  });

  it("refuses a batch that would pass the free quota, with a QuotaFailure", async () => {
    const agent = createBillingClient({ baseUrl: host.baseUrl, token: collectorToken });
    const failure = await agent.usage
      .reportUsage({ collectorId: "web-01", sequence: 2n, records: [{ item: BillingItem.LOGS, quantity: 999_999n, observedAt: timestampNow() }] })
      .then(() => assert.fail("the quota was passed"), billingError);
    assert.equal(failure.code, Code.ResourceExhausted);
    assert.equal(failure.reason, "EXPERIENCE_QUOTA_EXHAUSTED");
    assert.deepEqual(failure.quotaViolations.map((v) => v.subject), ["BILLING_ITEM_LOGS"]);
    const unchanged = await owner.usage.getUsageStatistics({ workspaceId });
    assert.equal(unchanged.items.find((i) => i.item === BillingItem.LOGS)?.today, 1200n);
  });

  it("registers the billing-center account that will pay, and tops up its wallet", async () => {
    const registered = await anonymous.billingAccounts.registerBillingAccount({
      username: `acme-${process.pid}-${Date.now() % 100_000}`,
      password: "correct horse battery",
      email: "finance@acme.example",
    });
    assert.match(registered.token, /^gcb_/);
    billingAccountId = registered.billingAccount!.billingAccountId;
    const session = createBillingClient({ baseUrl: host.baseUrl, token: registered.token });
    billingSession = session;
    const empty = await session.billingAccounts.getWallet({ billingAccountId });
    assert.deepEqual([empty.wallet?.cash?.currencyCode, empty.wallet?.cash?.units, empty.wallet?.available?.units], ["CNY", 0n, 0n]);

    const operator = createBillingClient({ baseUrl: host.baseUrl, token: host.operatorToken });
    const recharged = await operator.billingAccounts.recharge({
      billingAccountId,
      amount: { currencyCode: "CNY", units: 100n, nanos: 500_000_000 },
      requestId: `ts-${process.pid}-${Date.now()}`,
      paymentMethod: PaymentMethod.BANK_TRANSFER,
    });
    assert.equal(recharged.replayed, false);
    const wallet = await session.billingAccounts.getWallet({ billingAccountId });
    assert.deepEqual([wallet.wallet?.cash?.units, wallet.wallet?.cash?.nanos], [100n, 500_000_000]);

    const notOperator = await session.billingAccounts
      .recharge({ billingAccountId, amount: { currencyCode: "CNY", units: 1n }, requestId: "self", paymentMethod: PaymentMethod.ONLINE })
      .then(() => assert.fail("an account recharged itself"), billingError);
    assert.deepEqual([notOperator.code, notOperator.reason], [Code.PermissionDenied, "OPERATOR_REQUIRED"]);
  });

  it("refuses invalid fields with typed field violations", async () => {
    const failure = await owner.workspaces.createWorkspace({ name: "", siteCode: "mars1", activationChannel: ActivationChannel.OFFICIAL_WEBSITE }).then(
      () => assert.fail("CreateWorkspace accepted invalid fields"),
      billingError,
    );
    assert.equal(failure.code, Code.InvalidArgument);
    assert.equal(failure.codeName, "INVALID_ARGUMENT");
    assert.equal(failure.reason, "INVALID_ARGUMENT");
    assert.deepEqual(failure.fieldViolations.map((v) => v.field).sort(), ["name", "site_code"]);
  });

  it("hides the workspace from a non-member behind NOT_FOUND with the resource named", async () => {
    const outsider = await anonymous.identity.signUp({ email: `outsider.${process.pid}.${Date.now()}@example.com`, password: "correct horse battery", displayName: "Outsider" });
    const asOutsider = createBillingClient({ baseUrl: host.baseUrl, token: outsider.token });
    const failure = await asOutsider.workspaces.getWorkspace({ workspaceId }).then(() => assert.fail("an outsider read the workspace"), billingError);
    assert.equal(failure.code, Code.NotFound);
    assert.equal(failure.reason, "WORKSPACE_NOT_FOUND");
    assert.deepEqual(failure.resource && [failure.resource.type, failure.resource.name], ["workspace", workspaceId]);
    assert.equal(failure.metadata.workspace_id, workspaceId);
  });

  it("reports a broken business rule as a precondition violation", async () => {
    const failure = await owner.workspaces.updateRetention({ workspaceId, dataType: DataType.LOGS, days: 30 }).then(() => assert.fail("retention changed on an experience plan"), billingError);
    assert.equal(failure.code, Code.FailedPrecondition);
    assert.deepEqual(failure.preconditionViolations.map((v) => v.type), ["RETENTION_FIXED_ON_EXPERIENCE"]);
  });

  it("sets and removes a high-consumption alert; removing it again changes nothing", async () => {
    await owner.consumptionAlerts.setConsumptionAlert({ workspaceId, item: BillingItem.LOGS, threshold: { currencyCode: "CNY", units: 10n } });
    const removed = await owner.consumptionAlerts.removeConsumptionAlert({ workspaceId, item: BillingItem.LOGS });
    assert.equal(removed.removed, true);
    const again = await owner.consumptionAlerts.removeConsumptionAlert({ workspaceId, item: BillingItem.LOGS });
    assert.equal(again.removed, false);
    assert.deepEqual((await owner.consumptionAlerts.listConsumptionAlerts({ workspaceId })).alerts, []);
  });

  it("revokes a binding code, which then binds nothing, and lists it as revoked", async () => {
    const { bindingCode, bindingCodeId } = await billingSession.billingAccounts.createBindingCode({ billingAccountId });
    const revoked = await billingSession.billingAccounts.revokeBindingCode({ billingAccountId, bindingCodeId });
    assert.equal(revoked.bindingCode?.state, BindingCodeState.REVOKED);
    const refused = await owner.settlement.upgradeToCommercial({ workspaceId, bindingCode }).then(() => assert.fail("a revoked code bound the workspace"), billingError);
    assert.deepEqual([refused.code, refused.reason], [Code.FailedPrecondition, "BINDING_CODE_REVOKED"]);
    const { bindingCodes } = await billingSession.billingAccounts.listBindingCodes({ billingAccountId });
    assert.deepEqual(bindingCodes.map((c) => [c.bindingCodeId, c.state]), [[bindingCodeId, BindingCodeState.REVOKED]]);
  });

  it("upgrades the workspace to the commercial plan, bound to that account (last: it ends the experience plan)", async () => {
    const { bindingCode } = await billingSession.billingAccounts.createBindingCode({ billingAccountId });
    const upgraded = await owner.settlement.upgradeToCommercial({ workspaceId, bindingCode });
    assert.equal(upgraded.workspace?.plan, Plan.COMMERCIAL);
    const { settlement } = await owner.settlement.getSettlement({ workspaceId });
    assert.deepEqual([settlement?.plan, settlement?.billingAccountId, settlement?.method, settlement?.locked], [Plan.COMMERCIAL, billingAccountId, SettlementMethod.BILLING_CENTER, false]);

    const again = await owner.settlement.upgradeToCommercial({ workspaceId, bindingCode }).then(() => assert.fail("upgraded twice"), billingError);
    assert.deepEqual([again.code, again.reason], [Code.FailedPrecondition, "ALREADY_COMMERCIAL"]);
  });
});
