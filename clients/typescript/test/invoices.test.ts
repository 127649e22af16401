// Invoices through the generated client against the real host on loopback: a certified billing
// account files its invoice information, requests an electronic invoice over a prepaid card it
// bought, lists it; the operator issues it with its PDF and the account downloads it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  billingError,
  CertificationDecision,
  Code,
  createBillingClient,
  InvoiceSourceKind,
  InvoiceState,
  InvoiceType,
  type BillingClient,
} from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("an invoice", () => {
  let host: RunningHost;
  let operator: BillingClient;
  let session: BillingClient;
  let billingAccountId: string;
  let cardId: string;
  let invoiceId: string;
  const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

  before(async () => {
    host = await startHost();
    operator = createBillingClient({ baseUrl: host.baseUrl, token: host.operatorToken });
    const anonymous = createBillingClient({ baseUrl: host.baseUrl });
    const username = `inv-${process.pid}-${Date.now()}`.slice(0, 24);
    const registered = await anonymous.billingAccounts.registerBillingAccount({ username, password: "correct horse battery", email: `${username}@example.com` });
    billingAccountId = registered.billingAccount!.billingAccountId;
    session = createBillingClient({ baseUrl: host.baseUrl, token: registered.token });
    await session.billingAccounts.submitEnterpriseCertification({ billingAccountId, enterpriseName: "ACME Ltd", taxpayerId: "91310000775785552L" });
    await operator.billingAccounts.reviewEnterpriseCertification({ billingAccountId, decision: CertificationDecision.APPROVE });
    const card = await operator.billingAccounts.issuePrepaidCard({
      billingAccountId,
      faceValue: { currencyCode: "CNY", units: 500n },
      expireTime: timestampFromDate(new Date(Date.now() + 365 * 24 * 3600 * 1000)),
      requestId: `card-${Date.now()}`,
    });
    cardId = card.prepaidCard!.prepaidCardId;
  });

  after(async () => {
    await host?.stop();
  });

  it("requests an electronic invoice over part of a card purchase and lists it", async () => {
    const sources = await session.invoices.listInvoiceableSources({ billingAccountId });
    const source = sources.sources.find((s) => s.sourceId === cardId);
    assert.equal(source?.kind, InvoiceSourceKind.PREPAID_CARD_PURCHASE);
    assert.equal(source?.remaining?.units, 500n);

    const { invoiceInfo } = await session.invoices.createInvoiceInfo({ billingAccountId, invoiceInfo: { type: InvoiceType.ELECTRONIC_ORDINARY } });
    const requested = await session.invoices.requestInvoice({
      billingAccountId,
      requestId: `invoice-${Date.now()}`,
      invoiceInfoId: invoiceInfo!.invoiceInfoId,
      email: "finance@example.com",
      sources: [{ sourceId: cardId, amount: { currencyCode: "CNY", units: 120n, nanos: 500_000_000 } }],
    });
    const invoice = requested.invoice!;
    assert.equal(invoice.state, InvoiceState.REQUESTED);
    assert.deepEqual([invoice.amount?.units, invoice.amount?.nanos], [120n, 500_000_000]);
    assert.equal(invoice.title, "ACME Ltd");
    invoiceId = invoice.invoiceId;

    const listed = await session.invoices.listInvoices({ billingAccountId, states: [InvoiceState.REQUESTED] });
    assert.deepEqual(listed.invoices.map((i) => i.invoiceId), [invoiceId]);
    const left = await session.invoices.listInvoiceableSources({ billingAccountId });
    assert.deepEqual([left.sources.find((s) => s.sourceId === cardId)?.remaining?.units], [379n]);
  });

  it("is issued by the operator only, and the account downloads its PDF", async () => {
    // Dated today in China (UTC+8): an invoice is dated from its request to today.
    const today = new Date(Date.now() + 8 * 3600 * 1000);
    const issueDate = { year: today.getUTCFullYear(), month: today.getUTCMonth() + 1, day: today.getUTCDate() };
    const request = { invoiceId, requestId: "issue-1", invoiceNumber: "E-0001", issueDate, document: pdf };
    await assert.rejects(session.invoices.issueInvoice(request), (e: unknown) => billingError(e)?.code === Code.PermissionDenied);
    const issued = await operator.invoices.issueInvoice(request);
    assert.equal(issued.invoice?.state, InvoiceState.ISSUED);

    const chunks: Uint8Array[] = [];
    for await (const chunk of session.invoices.getInvoiceDocument({ invoiceId })) {
      chunks.push(chunk.data);
    }
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(pdf));
  });
});
