import {
  closedPortUrl,
  waitFor,
  startMailCatcher,
  type MailCatcher,
  openRabbit,
  startTestIssuer,
  TEST_AMQP_URL,
  uniquePrefix,
  type Rabbit,
} from "@w2meet/testing";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { retryDelays } from "../src/config.ts";
import { queueNames } from "../src/queue/topology.ts";
import { createWorkerDatabase, type WorkerDatabase } from "./database.ts";
import { startSuggestionsStub } from "./suggestions-stub.ts";
import { startUsersStub } from "./users-stub.ts";
import { startWorkerProcess, WORKER_ENTRY, type WorkerProcess } from "./worker-process.ts";

// Each test starts worker processes; they take longer than the default 5 s test timeout allows.
const PROCESS_TEST_MS = 30_000;
const trio = ["ada@example.com", "grace@example.com", "alan@example.com"];
const prefix = uniquePrefix("faults");
let db: WorkerDatabase;
let catcher: MailCatcher;
let stub: ReturnType<typeof startSuggestionsStub>;
let users: ReturnType<typeof startUsersStub>;
let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
// A person's token, for tasks with notify, and the users service's, for verification mails.
let organizer: Record<string, string>;
let service: Record<string, string>;
let rabbit: Rabbit;
const processes: WorkerProcess[] = [];

beforeAll(async () => {
  db = await createWorkerDatabase();
  catcher = await startMailCatcher();
  stub = startSuggestionsStub();
  users = startUsersStub();
  issuer = await startTestIssuer();
  organizer = { authorization: `Bearer ${await issuer.token("organizer@example.com")}` };
  service = { authorization: `Bearer ${await issuer.token("users@w2meet.internal", { role: "service" })}` };
  rabbit = await openRabbit();
});

afterEach(async () => {
  for (const worker of processes.splice(0)) if (worker.process.exitCode === null) await worker.stop();
});

afterAll(async () => {
  await rabbit.removeTopology(queueNames(prefix), retryDelays({ RETRY_BASE_MS: 100, MAX_ATTEMPTS: 5 }));
  await rabbit.close();
  stub.stop();
  await users.stop();
  await issuer.stop();
  await catcher.close();
  await db.drop();
});

async function worker(env: Record<string, string> = {}) {
  const started = await startWorkerProcess({
    DATABASE_URL: db.url,
    AMQP_URL: TEST_AMQP_URL,
    QUEUE_PREFIX: prefix,
    SUGGESTIONS_URL: stub.url,
    USERS_URL: users.url,
    JWKS_URL: issuer.jwksUrl,
    SMTP_URL: catcher.url,
    ...env,
  });
  processes.push(started);
  return started;
}

const mailsAbout = (title: string, email: string) => catcher.mailsTo(email).filter((mail) => mail.subject === title);

describe("the worker process", () => {
  test(
    "accepts tasks while RabbitMQ is unreachable and finishes them once a worker reaches it",
    async () => {
      const cut = await worker({ AMQP_URL: closedPortUrl("amqp"), OUTBOX_STALE_SECONDS: "0.2" });
      const accepted = await cut.post({ users: trio, title: "Broker away", notify: true }, organizer);
      expect(accepted.status).toBe("queued");
      const health = await waitFor(async () => {
        const answer = await cut.health();
        return answer.dependencies.outbox?.status === "down" ? answer : null;
      });
      expect(health.status).toBe("degraded");
      expect(health.dependencies.rabbitmq?.status).toBe("down");
      expect(health.dependencies.outbox?.detail).toMatch(/1 unsent messages; the oldest has waited \d+\.\d s/);
      expect((await cut.task(accepted.task_id)).status).toBe("queued");

      const reaching = await worker();
      const task = await reaching.waitForStatus(accepted.task_id, "done");
      expect(task.attempts).toBe(1);
      for (const email of trio) expect(mailsAbout("Broker away", email)).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  test(
    "finishes a task whose worker is killed mid-task once a worker runs again, mailing each attendee once",
    async () => {
      const doomed = await worker();
      catcher.hold();
      const accepted = await doomed.post({ users: trio, title: "Killed", notify: true }, { "case-id": "case-killed", ...organizer });
      try {
        await waitFor(() => catcher.held() >= 1, { what: "the SMTP server to hold a mail" });
        doomed.process.kill("SIGKILL");
        await doomed.process.exited;
        // The server never answered those mails, so it never accepted them.
        await waitFor(() => catcher.connections() === 0, { what: "the killed worker's SMTP connections to close" });
      } finally {
        catcher.release();
      }
      const [running] = await db.sql`select status, attempts from tasks where id = ${accepted.task_id}`;
      expect(running).toEqual({ status: "running", attempts: 1 });

      const restarted = await worker();
      const task = await restarted.waitForStatus(accepted.task_id, "done");
      expect(task.attempts).toBe(2);
      for (const email of trio) expect(mailsAbout("Killed", email)).toHaveLength(1);
      // The task is done in Postgres just before the message is acked and its line written.
      const handled = await waitFor(() =>
        restarted.lines().find((line) => line.task_id === accepted.task_id && line.msg === "task message handled"),
      );
      expect(handled.redelivered).toBe(true);
    },
    PROCESS_TEST_MS,
  );

  test(
    "mails a verification code exactly once when its worker is killed after the 202 and before the mail was taken",
    async () => {
      const doomed = await worker();
      // The server counts every DATA it ever held; this mail's is the next.
      const heldBefore = catcher.held();
      catcher.hold();
      const body = { email: "kathleen@example.com", code: "577215", expires_at: new Date(Date.now() + 600_000).toISOString() };
      const headers = { "content-type": "application/json", "idempotency-key": "killed-code", ...service };
      try {
        const response = await fetch(`${doomed.url}/verification-mails`, { method: "POST", headers, body: JSON.stringify(body) });
        expect(response.status).toBe(202);
        await waitFor(() => catcher.held() > heldBefore, { what: "the SMTP server to hold the mail" });
        doomed.process.kill("SIGKILL");
        await doomed.process.exited;
        await waitFor(() => catcher.connections() === 0, { what: "the killed worker's SMTP connections to close" });
      } finally {
        catcher.release();
      }
      expect(catcher.mailsTo("kathleen@example.com")).toHaveLength(0);

      const restarted = await worker();
      await waitFor(
        async () => (await db.sql`select status from verification_mails where idempotency_key = 'killed-code'`)[0]?.status === "sent",
        {
          what: "the mail to be sent",
        },
      );
      // The same key again, to the new process: the same mail, not a second one.
      const again = await fetch(`${restarted.url}/verification-mails`, { method: "POST", headers, body: JSON.stringify(body) });
      expect(again.status).toBe(202);
      await waitFor(() => restarted.lines().some((line) => line.msg === "verification mail message handled" && line.redelivered === true));
      const mails = catcher.mailsTo("kathleen@example.com");
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain("577215");
    },
    PROCESS_TEST_MS,
  );

  test(
    "keeps a verification mail accepted while RabbitMQ is unreachable, and mails it once a worker reaches it",
    async () => {
      const cut = await worker({ AMQP_URL: closedPortUrl("amqp") });
      const body = { email: "hedy@example.com", code: "662607", expires_at: new Date(Date.now() + 600_000).toISOString() };
      const response = await fetch(`${cut.url}/verification-mails`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "broker-away-code", ...service },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      cut.process.kill("SIGKILL");
      await cut.process.exited;
      await worker();
      await waitFor(() => catcher.mailsTo("hedy@example.com").length > 0, { what: "the verification mail" });
      await waitFor(
        async () => (await db.sql`select status from verification_mails where idempotency_key = 'broker-away-code'`)[0]?.status === "sent",
      );
      expect(catcher.mailsTo("hedy@example.com")).toHaveLength(1);
    },
    PROCESS_TEST_MS,
  );

  test(
    "writes the Case-ID of the request into its log lines for the task's processing",
    async () => {
      const running = await worker();
      const accepted = await running.post({ users: trio, title: "Traced", notify: true }, { "case-id": "case-logs-42", ...organizer });
      await running.waitForStatus(accepted.task_id, "done");
      await waitFor(() => running.lines().some((line) => line.msg === "task message handled" && line.task_id === accepted.task_id));
      const lines = running.lines().filter((line) => line.task_id === accepted.task_id || line.case_id === "case-logs-42");
      expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(["request", "invitations mailed", "task message handled"]));
      for (const line of lines) expect(line.case_id).toBe("case-logs-42");
    },
    PROCESS_TEST_MS,
  );

  test(
    "stops gracefully on SIGTERM",
    async () => {
      const running = await worker();
      await running.stop();
      expect(running.process.exitCode).toBe(0);
      expect(running.lines().map((line) => line.msg)).toContain("shutting down");
    },
    PROCESS_TEST_MS,
  );

  test(
    "refuses to start with a malformed setting, naming it",
    async () => {
      const child = Bun.spawn(["bun", WORKER_ENTRY], { env: { ...process.env, PREFETCH: "lots" }, stdout: "pipe", stderr: "pipe" });
      expect(await child.exited).toBe(1);
      expect(await new Response(child.stderr).text()).toContain("PREFETCH");
    },
    PROCESS_TEST_MS,
  );
});
