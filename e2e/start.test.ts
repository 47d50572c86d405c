// `bun run start` as a newcomer meets it: no database yet, ports moved, no mail server — and still a
// suggestion and an invitation, natively, by following the links the answers give — its organizer logged in
// and every attendee's address proved by the code written to .mail/.
import { expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  closedPortUrl,
  freePort,
  removeWorkerTopology,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  unusedTestDatabase,
  uniquePrefix,
  waitFor,
} from "@w2meet/testing";
import { loadWorkerConfig, retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";

const ROOT = join(import.meta.dir, "..");

test("bun run start serves every service on its moved port, and books a meeting with the invitation written to .mail/", async () => {
  const database = unusedTestDatabase("w2meet_start");
  const queuePrefix = uniquePrefix("start");
  const ports = { users: freePort(), availability: freePort(), suggestions: freePort(), worker: freePort(), gateway: freePort() };
  const keyFolder = await mkdtemp(join(tmpdir(), "w2meet-start-"));
  const start = Bun.spawn(["bun", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "1",
      USERS_PORT: String(ports.users),
      AVAILABILITY_PORT: String(ports.availability),
      SUGGESTIONS_PORT: String(ports.suggestions),
      WORKER_PORT: String(ports.worker),
      GATEWAY_PORT: String(ports.gateway),
      JWT_KEY_FILE: join(keyFolder, "jwt-signing-key.json"),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      AMQP_URL: TEST_AMQP_URL,
      CACHE_PREFIX: `start-test-${Date.now()}:`,
      QUEUE_PREFIX: queuePrefix,
      SMTP_URL: closedPortUrl("smtp"),
      LOG_LEVEL: "info",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += new TextDecoder().decode(chunk);
  };
  const collected = Promise.all([collect(start.stdout), collect(start.stderr)]);
  const url = (service: keyof typeof ports, path: string) => `http://127.0.0.1:${ports[service]}${path}`;
  const written: string[] = [];
  try {
    for (const service of Object.keys(ports) as (keyof typeof ports)[]) {
      await waitFor(async () => (await fetch(url(service, "/health/live"))).ok, { timeoutMs: 20_000, what: `${service} to serve` });
    }
    const post = (service: keyof typeof ports, path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(url(service, path), {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const password = "a long enough password";
    for (const [email, monday] of [
      ["ada@example.com", [9, 10, 11]],
      ["grace@example.com", [10, 11]],
    ] as const) {
      expect((await post("users", "/users", { email, name: email.split("@")[0], availabilities: { monday }, password })).status).toBe(201);
      // Each proves the address with the code the worker writes to .mail/ (no mail server here).
      expect((await post("users", "/auth/verify-email", { email })).status).toBe(202);
      const mailed = await waitFor(
        async () => {
          const files = [...new Bun.Glob(`${email}-*.eml`).scanSync(join(ROOT, ".mail"))];
          return files.length === 1 ? join(ROOT, ".mail", files[0]!) : null;
        },
        { timeoutMs: 20_000, what: `the verification code of ${email}` },
      );
      written.push(mailed);
      const code = (await Bun.file(mailed).text()).match(/code is (\d{6})/)![1];
      const confirmed = await post("users", "/auth/verify-email/confirm", { email, code });
      expect(await confirmed.json()).toMatchObject({ email, email_verified: true, protected: true });
    }
    const login = (await (await post("users", "/auth/token", { email: "ada@example.com", password })).json()) as { access_token: string };
    const suggestions = await (await fetch(url("suggestions", "/suggestions?users=ada@example.com,grace@example.com"))).json();
    expect(suggestions).toEqual({ suggestions: [expect.objectContaining({ day: "monday", slot: [10, 11] })] });

    const accepted = (await (
      await post(
        "worker",
        "/tasks",
        { users: ["ada@example.com", "grace@example.com"], title: "First meeting", notify: true },
        { authorization: `Bearer ${login.access_token}` },
      )
    ).json()) as { task_id: string; status_url: string };
    expect(accepted.status_url).toBe(url("worker", `/tasks/${accepted.task_id}`));
    const task = await waitFor(
      async () => {
        const current = (await (await fetch(accepted.status_url)).json()) as {
          status: string;
          organizer: string;
          result: { invite_url: string; not_notified: string[] };
        };
        return current.status === "done" ? current : null;
      },
      { timeoutMs: 20_000, what: "the task to be done" },
    );
    expect((await fetch(task.result.invite_url)).status).toBe(200);
    expect(task.organizer).toBe("ada@example.com");
    expect(task.result.not_notified).toEqual([]);

    expect(output).toContain("invitations are written to");
    expect(output).toContain("PORT=1 would give every service the same port");
    for (const email of ["ada@example.com", "grace@example.com"]) {
      const path = join(ROOT, ".mail", `${email}-${accepted.task_id}.eml`);
      written.push(path);
      expect(await Bun.file(path).text()).toContain("Subject: First meeting");
      expect(output).toContain(path);
    }
  } finally {
    start.kill("SIGINT");
    expect(await start.exited).toBe(0);
    await collected;
    await Promise.all(written.map((path) => rm(path, { force: true })));
    await rm(keyFolder, { recursive: true, force: true });
    await removeWorkerTopology(queueNames(queuePrefix), retryDelays(loadWorkerConfig({})));
    await database.drop();
  }
}, 60_000);
