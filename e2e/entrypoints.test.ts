// Every service's entry point refuses to start with a malformed setting, and says which one.
import { expect, test } from "bun:test";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadWorkerConfig, retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";
import {
  removeWorkerTopology,
  freePort,
  startService,
  TEST_AMQP_URL,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  tablesOwnedAt,
  uniquePrefix,
  unusedServiceDatabase,
  waitFor,
} from "@w2meet/testing";

const ROOT = join(import.meta.dir, "..");

/** Waits until the worker at `url` reports RabbitMQ up on its health route: connected, its queues declared. */
const brokerUp = (url: string) =>
  waitFor(
    async () => {
      const health = (await (await fetch(`${url}/health`)).json()) as { dependencies?: Record<string, { status: string }> };
      return health.dependencies?.rabbitmq?.status === "up";
    },
    { what: `the worker at ${url} to declare its queues`, timeoutMs: 20_000 },
  );
const APPS = readdirSync(join(ROOT, "apps")).filter((app) => existsSync(join(ROOT, "apps", app, "src", "index.ts")));

for (const app of APPS) {
  for (const [variable, value] of [
    ["PORT", "eighty"],
    ["LOG_LEVEL", "loud"],
    ["HOST", "not a host"],
  ] as const) {
    test(`${app} stops at start with a message naming a malformed ${variable}`, async () => {
      const child = Bun.spawn(["bun", join(ROOT, "apps", app, "src", "index.ts")], {
        env: { ...process.env, [variable]: value },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
      expect(code).not.toBe(0);
      const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
      expect(line).toMatchObject({ level: "error", service: app, msg: "cannot start" });
      expect(line.error).toContain(variable);
    });
  }
}

test("a service listens on the address HOST names, so replicas can share a port on 127.0.0.2 and 127.0.0.3", async () => {
  const entry = join(ROOT, "apps", "availability", "src", "index.ts");
  const port = freePort();
  const replicas = await Promise.all(["127.0.0.2", "127.0.0.3"].map((HOST) => startService(entry, { HOST }, port)));
  try {
    for (const replica of replicas) expect((await fetch(`${replica.url}/health/live`)).ok).toBe(true);
    expect(
      await fetch(`http://127.0.0.1:${port}/health/live`).then(
        () => "answered",
        () => "refused",
      ),
    ).toBe("refused");
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
});

// A first start: no role and no database yet, and the services that own tables start at the same
// moment, two replicas each, every service with a role and a database of its own.
test("users and worker replicas started together against a server without their roles or databases all start, round after round", async () => {
  for (let round = 0; round < 3; round++) {
    const own = { users: unusedServiceDatabase("w2meet_users"), worker: unusedServiceDatabase("w2meet_worker") };
    const queuePrefix = uniquePrefix(`first-start-${round}`);
    const apps = ["users", "worker", "users", "worker"] as const;
    const started = await Promise.allSettled(
      apps.map((app) =>
        startService(join(ROOT, "apps", app, "src", "index.ts"), {
          DATABASE_URL: own[app].url,
          DATABASE_ADMIN_URL: TEST_DATABASE_URL,
          QUEUE_PREFIX: queuePrefix,
          REDIS_URL: TEST_REDIS_URL,
          AMQP_URL: TEST_AMQP_URL,
        }),
      ),
    );
    // Each worker is stopped only once its queues are declared: a quorum queue deleted below while its
    // declaration is still under way can take down the broker's dead-letter workers for every queue after it.
    await Promise.all(started.map((s, i) => (s.status === "fulfilled" && apps[i] === "worker" ? brokerUp(s.value.url) : undefined)));
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    await removeWorkerTopology(queueNames(queuePrefix), retryDelays(loadWorkerConfig({})));
    const tables = { users: await tablesOwnedAt(own.users.url), worker: await tablesOwnedAt(own.worker.url) };
    await Promise.all([own.users.drop(), own.worker.drop()]);
    expect(started.map((s) => (s.status === "fulfilled" ? "started" : String(s.reason)))).toEqual(apps.map(() => "started"));
    // Each database holds its own service's tables only, owned by the service's role.
    expect(tables).toEqual({
      users: ["cache_invalidations", "email_verifications", "schema_migrations", "user_dates", "users", "users_outbox"],
      worker: ["outbox", "person_rechecks", "schema_migrations", "task_mails", "tasks", "verification_mails"],
    });
  }
}, 120_000);
