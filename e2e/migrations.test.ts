// The migration entries the Helm chart's Job runs once per release (apps/<app>/src/migrate.ts), and the
// services started with MIGRATE_ON_START=false, as the chart starts them: they migrate nothing and refuse
// a database whose migrations are not all applied.
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createSql } from "@w2meet/kit/postgres";
import { loadWorkerConfig, retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";
import {
  closedPortUrl,
  freePort,
  removeWorkerTopology,
  startService,
  TEST_AMQP_URL,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  tablesOwnedAt,
  uniquePrefix,
  unusedServiceDatabase,
} from "@w2meet/testing";

const ROOT = join(import.meta.dir, "..");
const APPS = ["users", "worker"] as const;
const migrationsOf = (app: string) =>
  readdirSync(join(ROOT, "apps", app, "migrations"))
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort();

const made: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of made) await drop();
}, 60_000);

/** A role and database of the app's that nothing has made yet, dropped after the file. */
function freshDatabase(app: string) {
  const database = unusedServiceDatabase(`w2meet_${app}_job`);
  made.push(database.drop);
  return database;
}

/** Runs an app's migrate.ts to its end: its exit code and its log lines. */
async function runMigrate(app: string, env: Record<string, string>) {
  const child = Bun.spawn(["bun", join(ROOT, "apps", app, "src", "migrate.ts")], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  return {
    code,
    lines: stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** The versions schema_migrations lists for `service`, in order. */
async function appliedAt(url: string, service: string): Promise<string[]> {
  const sql = createSql(url, { max: 1 });
  try {
    const rows = await sql<{ version: string }[]>`select version from schema_migrations where service = ${service} order by version`;
    return rows.map((row) => row.version);
  } finally {
    await sql.end();
  }
}

/** Removes what a service of `app` declared on RabbitMQ under `queuePrefix` (users: the events exchange). */
const removeTopology = (queuePrefix: string) => removeWorkerTopology(queueNames(queuePrefix), retryDelays(loadWorkerConfig({})));

/** The settings an app needs to start, against its own database, with nothing migrated at start-up. */
const serviceEnv = (url: string, queuePrefix: string) => ({
  DATABASE_URL: url,
  DATABASE_ADMIN_URL: "",
  MIGRATE_ON_START: "false",
  QUEUE_PREFIX: queuePrefix,
  REDIS_URL: TEST_REDIS_URL,
  AMQP_URL: TEST_AMQP_URL,
});

describe.each(APPS)("the %s migration entry", (app) => {
  test("creates the role and database with the administrative URL, applies every migration, and exits 0; a second run applies none", async () => {
    const { url } = freshDatabase(app);
    const first = await runMigrate(app, { DATABASE_URL: url, DATABASE_ADMIN_URL: TEST_DATABASE_URL });
    expect(first.code).toBe(0);
    expect(first.lines.at(-1)).toMatchObject({
      level: "info",
      service: app,
      job: "migrate",
      msg: "migrations done",
      versions: migrationsOf(app),
    });
    expect(await appliedAt(url, app)).toEqual(migrationsOf(app));

    const second = await runMigrate(app, { DATABASE_URL: url, DATABASE_ADMIN_URL: TEST_DATABASE_URL });
    expect(second.code).toBe(0);
    expect(second.lines.at(-1)).toMatchObject({ msg: "migrations done", applied: 0 });
  }, 30_000);

  test("exits 1 with one log line naming why when Postgres cannot be reached, so the Job tries again", async () => {
    const result = await runMigrate(app, { DATABASE_URL: closedPortUrl("postgres", `/w2meet_${app}`), DATABASE_ADMIN_URL: "" });
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatchObject({ level: "error", service: app, msg: "migrations failed" });
    expect(result.lines[0]).not.toHaveProperty("stack");
  }, 30_000);

  test("with MIGRATE_ON_START=false the service refuses a database its migrations are missing from, naming them", async () => {
    const { url, role } = freshDatabase(app);
    const admin = createSql(TEST_DATABASE_URL, { max: 1 });
    await admin.unsafe(`create role "${role}" login password 'pw-${role}'`);
    await admin.unsafe(`create database "${role}" owner "${role}"`);
    await admin.end();
    const queuePrefix = uniquePrefix(`unmigrated-${app}`);
    const child = Bun.spawn(["bun", join(ROOT, "apps", app, "src", "index.ts")], {
      env: { ...process.env, ...serviceEnv(url, queuePrefix), PORT: String(freePort()) },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text(), new Response(child.stdout).text()]);
    await removeTopology(queuePrefix);
    expect(code).toBe(1);
    const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
    expect(line).toMatchObject({ level: "error", service: app, msg: "cannot start" });
    expect(line.error).toContain(migrationsOf(app)[0]);
    // Nothing was migrated behind the Job's back.
    expect(await tablesOwnedAt(url)).toEqual([]);
  }, 30_000);

  test("with MIGRATE_ON_START=false the service starts on a database the entry migrated", async () => {
    const { url } = freshDatabase(app);
    expect((await runMigrate(app, { DATABASE_URL: url, DATABASE_ADMIN_URL: TEST_DATABASE_URL })).code).toBe(0);
    const queuePrefix = uniquePrefix(`migrated-${app}`);
    const service = await startService(join(ROOT, "apps", app, "src", "index.ts"), serviceEnv(url, queuePrefix));
    try {
      expect((await fetch(`${service.url}/health/live`)).ok).toBe(true);
    } finally {
      await service.stop();
      await removeTopology(queuePrefix);
    }
  }, 30_000);
});
