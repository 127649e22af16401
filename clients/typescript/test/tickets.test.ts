// A support ticket through the generated client against the real host on loopback: a billing
// account submits one with a PDF attached, support accepts and answers, and the account reads the
// thread back and downloads the attachment byte for byte.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  billingError,
  Code,
  createBillingClient,
  TicketAuthor,
  TicketState,
  TicketType,
  type BillingClient,
} from "../src/index.js";
import { startHost, type RunningHost } from "./host.js";

describe("a support ticket", () => {
  let host: RunningHost;
  let account: BillingClient;
  let support: BillingClient;
  let billingAccountId: string;
  let ticketId: string;
  const pdf = new TextEncoder().encode("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n");

  before(async () => {
    host = await startHost();
    const anonymous = createBillingClient({ baseUrl: host.baseUrl });
    const username = `ts-tickets-${process.pid}-${Date.now()}`.slice(0, 30);
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

  it("creates a ticket with an attachment", async () => {
    const created = await account.tickets.createTicket({
      billingAccountId,
      type: TicketType.BILLING_QUESTION,
      title: "Bill of 2026-11-02",
      description: "The bill looks 10 CNY too high.\nSee the attached PDF.",
      attachments: [{ fileName: "bill.pdf", content: pdf }],
      requestId: `ts-${Date.now()}`,
    });
    assert.match(created.ticket!.ticketId, /^tk_/);
    assert.equal(created.ticket!.state, TicketState.WAITING_FOR_ASSIGNMENT);
    ticketId = created.ticket!.ticketId;
  });

  it("refuses an executable renamed as a PDF, naming the attachment", async () => {
    try {
      await account.tickets.createTicket({
        billingAccountId,
        type: TicketType.OTHER,
        title: "Renamed",
        description: "x",
        attachments: [{ fileName: "bill.pdf", content: new Uint8Array([0x4d, 0x5a, 0x90, 0x00]) }],
        requestId: `ts-bad-${Date.now()}`,
      });
      assert.fail("the renamed executable was accepted");
    } catch (e) {
      const error = billingError(e);
      assert.equal(error.code, Code.InvalidArgument);
      assert.deepEqual(error.fieldViolations.map((v) => v.field), ["attachments[0].content"]);
    }
  });

  it("reads the thread with support's answer and downloads the attachment", async () => {
    await support.tickets.acceptTicket({ ticketId });
    const replied = await support.tickets.replyToTicket({ ticketId, text: "We are looking into it.", requestId: `ts-reply-${Date.now()}` });
    assert.equal(replied.ticket!.state, TicketState.FEEDBACK_PROVIDED);

    const thread = await account.tickets.getTicket({ ticketId });
    assert.deepEqual(thread.messages.map((m) => m.author), [TicketAuthor.SUBMITTER, TicketAuthor.SUPPORT]);
    const attachment = thread.messages[0].attachments[0];
    assert.equal(attachment.fileName, "bill.pdf");
    assert.equal(Number(attachment.sizeBytes), pdf.length);

    const chunks: Uint8Array[] = [];
    for await (const chunk of account.tickets.getTicketAttachment({ attachmentId: attachment.attachmentId })) {
      chunks.push(chunk.data);
    }
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(pdf));
  });
});
