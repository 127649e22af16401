// Bulk charging through the generated client against the real host on loopback: an operator charges
// several accounts in one ChargeBatch call, one outcome per entry (a charge, or the refusal that Charge
// would give it); the same batch again only replays; a malformed entry refuses the whole call.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { billingError, Code, createBillingClient, FundingSource, PaymentMethod, type BillingClient } from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("a batch of charges", () => {
  let host: RunningHost;
  let operator: BillingClient;
  const accounts: string[] = [];

  before(async () => {
    host = await startHost();
    const anonymous = createBillingClient({ baseUrl: host.baseUrl });
    operator = createBillingClient({ baseUrl: host.baseUrl, token: host.operatorToken });
    for (const name of ["a", "b"]) {
      const username = `ts-batch-${name}-${process.pid}-${Date.now()}`.slice(0, 30);
      const registered = await anonymous.billingAccounts.registerBillingAccount({
        username,
        password: "correct horse battery",
        email: `${username}@example.com`,
      });
      accounts.push(registered.billingAccount!.billingAccountId);
    }
    await operator.billingAccounts.recharge({
      billingAccountId: accounts[0],
      amount: { currencyCode: "CNY", units: 100n },
      requestId: `ts-batch-fund-${process.pid}-${Date.now()}`,
      paymentMethod: PaymentMethod.BANK_TRANSFER,
    });
  });

  after(async () => {
    await host?.stop();
  });

  const suffix = `${process.pid}-${Date.now()}`;
  const batch = () => ({
    charges: [
      { billingAccountId: accounts[0], reference: `ts-a-${suffix}`, lines: [{ itemCode: "logs", amount: { currencyCode: "CNY", units: 30n } }] },
      { billingAccountId: accounts[1], reference: `ts-b-${suffix}`, lines: [{ itemCode: "logs", amount: { currencyCode: "CNY", units: 5n } }] },
      { billingAccountId: "ba_01kb0000000000000000000000", reference: `ts-c-${suffix}`, lines: [{ itemCode: "logs", amount: { currencyCode: "CNY", units: 1n } }] },
    ],
  });

  it("answers each entry in order, and a retry of the whole batch only replays", async () => {
    const first = await operator.billingAccounts.chargeBatch(batch());
    assert.equal(first.outcomes.length, 3);
    const [paid, owed, unknown] = first.outcomes.map((o) => o.outcome);
    assert.equal(paid.case, "charged");
    assert.equal(paid.value!.replayed, false);
    assert.deepEqual(paid.value!.result!.allocations.map((a) => a.source), [FundingSource.CASH]);
    assert.equal(paid.value!.wallet!.cash!.units, 70n);
    assert.equal(owed.case, "charged");
    assert.equal(owed.value!.result!.addedArrears!.units, 5n);
    assert.equal(unknown.case, "refused");
    assert.equal(unknown.value!.code, Code.NotFound);
    assert.equal(unknown.value!.reason, "BILLING_ACCOUNT_NOT_FOUND");

    const again = await operator.billingAccounts.chargeBatch(batch());
    assert.deepEqual(again.outcomes.map((o) => o.outcome.case), ["charged", "charged", "refused"]);
    for (const [i, outcome] of again.outcomes.slice(0, 2).entries()) {
      assert.equal(outcome.outcome.case === "charged" && outcome.outcome.value.replayed, true);
      const before = first.outcomes[i].outcome;
      assert.equal(
        outcome.outcome.case === "charged" && before.case === "charged" && outcome.outcome.value.result!.transactionId === before.value.result!.transactionId,
        true,
      );
    }
  });

  it("refuses a malformed entry for the whole call, naming its field", async () => {
    const request = batch();
    request.charges[1].lines[0].amount.units = 0n;
    try {
      await operator.billingAccounts.chargeBatch(request);
      assert.fail("the malformed batch was accepted");
    } catch (e) {
      const error = billingError(e);
      assert.equal(error.code, Code.InvalidArgument);
      assert.deepEqual(error.fieldViolations.map((v) => v.field), ["charges[1].lines[0].amount"]);
    }
  });
});
