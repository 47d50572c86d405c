// `bun run start` as a newcomer meets it: no database yet, ports moved, no mail server — and still a
// suggestion and an invitation, natively, by following the links the answers give.
import { expect, test } from "bun:test";
import { rm } from "node:fs/promises";
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
  const ports = { users: freePort(), availability: freePort(), suggestions: freePort(), worker: freePort() };
  const start = Bun.spawn(["bun", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "1",
      USERS_PORT: String(ports.users),
      AVAILABILITY_PORT: String(ports.availability),
      SUGGESTIONS_PORT: String(ports.suggestions),
      WORKER_PORT: String(ports.worker),
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
    for (const [email, monday] of [
      ["ada@example.com", [9, 10, 11]],
      ["grace@example.com", [10, 11]],
    ] as const) {
      const created = await fetch(url("users", "/users"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, name: email.split("@")[0], availabilities: { monday } }),
      });
      expect(created.status).toBe(201);
    }
    const suggestions = await (await fetch(url("suggestions", "/suggestions?users=ada@example.com,grace@example.com"))).json();
    expect(suggestions).toEqual({ suggestions: [expect.objectContaining({ day: "monday", slot: [10, 11] })] });

    const accepted = (await (
      await fetch(url("worker", "/tasks"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ users: ["ada@example.com", "grace@example.com"], title: "First meeting", notify: true }),
      })
    ).json()) as { task_id: string; status_url: string };
    expect(accepted.status_url).toBe(url("worker", `/tasks/${accepted.task_id}`));
    const task = await waitFor(
      async () => {
        const current = (await (await fetch(accepted.status_url)).json()) as { status: string; result: { invite_url: string } };
        return current.status === "done" ? current : null;
      },
      { timeoutMs: 20_000, what: "the task to be done" },
    );
    expect((await fetch(task.result.invite_url)).status).toBe(200);

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
    await removeWorkerTopology(queueNames(queuePrefix), retryDelays(loadWorkerConfig({})));
    await database.drop();
  }
}, 60_000);
