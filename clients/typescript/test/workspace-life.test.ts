// A workspace's life through the generated client against the real host on loopback. Each step
// builds on the ones before it (node:test runs the steps of a describe in order); the usage report
// and statistics steps follow the collector token step when UsageService is part of the contract.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ActivationChannel,
  billingError,
  Code,
  createBillingClient,
  DataType,
  Plan,
  WorkspaceRole,
  type BillingClient,
} from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("a workspace's life", () => {
  let host: RunningHost;
  let anonymous: BillingClient;
  let owner: BillingClient;
  let colleagueEmail: string;
  let colleagueUserId: string;
  let workspaceId: string;
  let collectorToken: string;

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
    const colleague = await anonymous.identity.signUp({ email: colleagueEmail, password: "correct horse battery", displayName: "Colleague" });
    colleagueUserId = colleague.user!.userId;
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
});
