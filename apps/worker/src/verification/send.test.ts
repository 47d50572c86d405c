import type { VerificationMailAccepted } from "@w2meet/contracts";
import { bodyOf, jsonRequest, startMailCatcher, waitFor, type MailCatcher } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startIsolatedWorker, type IsolatedWorker } from "../../test/worker-harness.ts";
import { VERIFICATION_ROUTING_KEY } from "../queue/topology.ts";
import { VERIFICATION_SUBJECT } from "./send.ts";

describe("verification mails through a worker with everything up", () => {
  let setup: IsolatedWorker;
  let catcher: MailCatcher;
  let asService: Record<string, string>;

  beforeAll(async () => {
    catcher = await startMailCatcher();
    setup = await startIsolatedWorker({ smtpUrl: catcher.url, env: { RETRY_BASE_MS: "150" } });
    asService = await setup.bearer("users@w2meet.internal", "service");
  });
  afterAll(async () => {
    await setup.tearDown();
    await catcher.close();
  });

  const send = async (body: { email: string; code: string; expires_at: string }, key: string, caseId?: string) => {
    const headers = { ...asService, "idempotency-key": key, ...(caseId && { "case-id": caseId }) };
    const response = await setup.worker.handle(jsonRequest("POST", "/verification-mails", body, headers));
    expect(response.status).toBe(202);
    return bodyOf<VerificationMailAccepted>(response);
  };
  const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
  const stateOf = async (mailId: string) =>
    (await setup.db.sql`select status, code, attempts, message_id, error from verification_mails where id = ${mailId}`)[0]!;
  const waitForStatus = (mailId: string, status: string) =>
    waitFor(async () => ((await stateOf(mailId)).status === status ? stateOf(mailId) : null), { what: `mail ${mailId} to be ${status}` });
  const handled = (mailId: string) =>
    setup.worker.logs().filter((line) => line.msg === "verification mail message handled" && line.mail_id === mailId);

  test("mails the code once, in plain text with when it expires, and then forgets the code", async () => {
    const expiresAt = "2099-01-02T03:04:00.000Z";
    const accepted = await send({ email: "ada@example.com", code: "314159", expires_at: expiresAt }, "verify-ada-1", "case-verify-1");
    const sent = await waitForStatus(accepted.mail_id, "sent");
    expect(sent).toMatchObject({ code: null, attempts: 1, error: null });
    const mails = catcher.mailsTo("ada@example.com").filter((mail) => mail.text?.includes("314159"));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toBe(VERIFICATION_SUBJECT);
    expect(mail!.text).toContain("2099-01-02 03:04 UTC");
    expect(mail!.attachments).toHaveLength(0);
    expect(mail!.html).toBe(false);
    expect(mail!.messageId).toBe(sent.message_id);
    // The case id of the request is on every line about the mail, and the code on none.
    await waitFor(() => handled(accepted.mail_id).length === 1);
    const lines = setup.worker.logs().filter((line) => line.mail_id === accepted.mail_id);
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(["verification mail message published", "verification mail sent"]),
    );
    for (const line of lines) expect(line.case_id).toBe("case-verify-1");
    expect(JSON.stringify(setup.worker.logs())).not.toContain("314159");
  });

  test("mails once for one Idempotency-Key asked twice", async () => {
    const body = { email: "grace@example.com", code: "271828", expires_at: later(10) };
    const first = await send(body, "verify-grace-1");
    const second = await send(body, "verify-grace-1");
    expect(second.mail_id).toBe(first.mail_id);
    await waitForStatus(first.mail_id, "sent");
    expect((await send(body, "verify-grace-1")).status).toBe("sent");
    expect(catcher.mailsTo("grace@example.com").filter((mail) => mail.text?.includes("271828"))).toHaveLength(1);
  });

  test("acks a redelivered message of a sent mail without mailing again", async () => {
    const accepted = await send({ email: "alan@example.com", code: "161803", expires_at: later(10) }, "verify-alan-1");
    await waitForStatus(accepted.mail_id, "sent");
    const message = Buffer.from(JSON.stringify({ mail_id: accepted.mail_id }));
    await setup.rabbit.publish(setup.worker.names.exchange, VERIFICATION_ROUTING_KEY, message);
    await waitFor(() => handled(accepted.mail_id).length === 2);
    expect(handled(accepted.mail_id).map((line) => line.outcome)).toEqual(["finished", "finished"]);
    expect(catcher.mailsTo("alan@example.com").filter((mail) => mail.text?.includes("161803"))).toHaveLength(1);
    expect((await stateOf(accepted.mail_id)).attempts).toBe(1);
  });

  test("does not send a code that has expired by the time it would be mailed, and says so in the log", async () => {
    const accepted = await send({ email: "edsger@example.com", code: "141421", expires_at: later(-1) }, "verify-late-1");
    expect(await waitForStatus(accepted.mail_id, "expired")).toMatchObject({ code: null, message_id: null });
    await waitFor(() => handled(accepted.mail_id).length === 1);
    expect(setup.worker.logs().some((line) => line.mail_id === accepted.mail_id && String(line.msg).includes("expired"))).toBe(true);
    expect(catcher.mailsTo("edsger@example.com")).toHaveLength(0);
  });

  test("retries a mail the server refuses for a while, with growing delays, and mails it once when it takes it", async () => {
    catcher.refuse("barbara@example.com");
    const accepted = await send({ email: "barbara@example.com", code: "173205", expires_at: later(10) }, "verify-barbara-1");
    const waiting = await waitFor(async () => {
      const state = await stateOf(accepted.mail_id);
      return state.attempts >= 2 && state.status === "queued" ? state : null;
    });
    expect(waiting.error).toBe("The mail server refused the mail to barbara@example.com (450)");
    expect(waiting.code).toBe("173205");
    catcher.accept("barbara@example.com");
    await waitForStatus(accepted.mail_id, "sent");
    expect(catcher.mailsTo("barbara@example.com")).toHaveLength(1);
    const retries = handled(accepted.mail_id).filter((line) => line.outcome === "retry");
    expect(retries.map((line) => line.attempt)).toEqual(retries.map((_, i) => i + 1));
  });

  test("fails a mail the server keeps refusing after the last attempt, forgets its code and dead-letters its message", async () => {
    catcher.refuse("frances@example.com");
    try {
      const accepted = await send({ email: "frances@example.com", code: "223606", expires_at: later(10) }, "verify-frances-1");
      const failed = await waitForStatus(accepted.mail_id, "failed");
      expect(failed).toMatchObject({ attempts: 5, code: null, error: "The mail server refused the mail to frances@example.com (450)" });
      const dead = await waitFor(async () =>
        (await setup.rabbit.takeAll(setup.worker.names.verification.deadLetterQueue)).find(
          (message) => message.properties.messageId === accepted.mail_id,
        ),
      );
      expect(JSON.parse(dead.content.toString())).toEqual({ mail_id: accepted.mail_id });
      expect(await setup.rabbit.depth(setup.worker.names.deadLetterQueue)).toBe(0);
    } finally {
      catcher.accept("frances@example.com");
    }
  });

  test("dead-letters poison and unknown mails to the verification mails' dead-letter queue, not the tasks'", async () => {
    const { rabbit, worker } = setup;
    const ghost = JSON.stringify({ mail_id: crypto.randomUUID() });
    const poison = ["not json", JSON.stringify({ task_id: crypto.randomUUID() }), JSON.stringify({ mail_id: "nope" })];
    for (const content of poison)
      await rabbit.publish("", worker.names.verification.queue, Buffer.from(content), { "case-id": "case-bad-mail" });
    await rabbit.publish(worker.names.exchange, VERIFICATION_ROUTING_KEY, Buffer.from(ghost));
    const dead: Awaited<ReturnType<typeof rabbit.takeAll>> = [];
    await waitFor(async () => {
      dead.push(...(await rabbit.takeAll(worker.names.verification.deadLetterQueue)));
      return dead.length >= 4;
    });
    expect(dead.map((message) => message.content.toString()).sort()).toEqual([...poison, ghost].sort());
    const logged = worker.logs().filter((line) => line.msg === "poison message dead-lettered" && line.case_id === "case-bad-mail");
    expect(logged.map((line) => line.queue)).toEqual(Array(3).fill(worker.names.verification.queue));
    expect(await rabbit.depth(worker.names.deadLetterQueue)).toBe(0);
    // Tasks still flow beside it.
    const accepted = await worker.post({ users: ["ada@example.com", "grace@example.com"] });
    await worker.waitForStatus(accepted.task_id, "done");
  });

  // Runs last: by now mails here were sent, repeated, redelivered, expired, retried, failed and unknown.
  test("holds no mail lock once the deliveries are settled, whatever became of the mails", async () => {
    const advisoryLocks = async () =>
      (
        await setup.db.sql<{ n: number }[]>`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`
      )[0]!.n;
    await waitFor(async () => (await advisoryLocks()) === 0, { timeoutMs: 5000, what: "every mail lock to be released" });
  });
});
