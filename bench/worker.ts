// The worker's benchmark: tasks offered at a steady rate to one or more worker processes (the real
// suggestions, availability and users behind them), then every accepted task counted in Postgres.
import { join } from "node:path";
import {
  createTestDatabase,
  startService,
  waitFor,
  type RunningService,
  startMailCatcher,
  openRabbit,
  startTestIssuer,
  TEST_TOPOLOGY_PREFIX,
} from "@w2meet/testing";
import { WORKER_RUNTIME_ENV } from "../scripts/runtime-env.ts";
import { retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";
import { startUsersStub } from "../apps/worker/test/users-stub.ts";
import { createSql } from "../packages/kit/src/postgres.ts";
import { offerTasks, percentile } from "./load.ts";
import { benchEmail } from "./seed.ts";
import { watchMachine, watchProcesses, watchProcessGroup, type Usage } from "./sampler.ts";

const WORKER_ENTRY = join(import.meta.dir, "..", "apps", "worker", "src", "index.ts");
const FINAL = ["done", "no_slot", "failed"];

export type WorkerScenario = { name: string; workers: number; rate: number; seconds: number; notify: boolean };

/** What one scenario measured; `lost` counts accepted tasks that are not done once the queue drained. */
export type WorkerResult = WorkerScenario & {
  offered: number;
  accepted: number;
  refused: Record<string, number>;
  skipped: number;
  statuses: Record<string, number>;
  lost: number;
  accepted_per_s: number;
  done_per_s: number;
  post_p50_ms: number;
  post_p95_ms: number;
  done_p50_ms: number;
  done_p95_ms: number;
  done_p99_ms: number;
  mails?: { expected: number; received: number };
  worker_rss_mb: number[];
  worker_cpu_ms_per_task: number[];
  services_cpu_ms_per_task: number;
  generator_cpu_ms_per_task: number;
  postgres_cpu_ms_per_task: number;
  rabbitmq_cpu_ms_per_task: number;
  /** Postgres transactions (a statement outside a transaction is one) per task done, the bench's polling included. */
  postgres_transactions_per_task: number;
  machine_busy: number;
  usage: Record<string, Usage>;
};

/**
 * Runs one scenario against `suggestionsUrl`: starts `workers` worker processes on a database and queue
 * prefix of their own, warms them, offers the load, waits (up to 60 s) for the accepted tasks to
 * finish, counts them, and takes it all down again.
 */
export async function runWorkerScenario(
  scenario: WorkerScenario,
  context: {
    run: string;
    suggestionsUrl: string;
    users: number;
    emailPrefix: string;
    services: Record<string, number>;
    bunOptions?: string;
  },
): Promise<WorkerResult> {
  const database = await createTestDatabase("w2meet_bench_worker");
  const prefix = `${TEST_TOPOLOGY_PREFIX}bench-${context.run}-${scenario.name}`;
  const mail = scenario.notify ? await startMailCatcher() : undefined;
  // A task that mails needs the organizer's token, and the worker asks which attendees' addresses are
  // verified: stand-ins for the users service's keys and its answer (every address verified).
  const issuer = await startTestIssuer();
  const addresses = startUsersStub();
  const headers: Record<string, string> = scenario.notify
    ? { authorization: `Bearer ${await issuer.token("bench-organizer@w2meet.test", { expiresIn: "1h" })}` }
    : {};
  const benchUrl = new URL(database.url);
  benchUrl.searchParams.set("application_name", "bench");
  const sql = createSql(benchUrl.toString(), { max: 2 });
  const workers: RunningService[] = [];
  try {
    const env = {
      ...WORKER_RUNTIME_ENV,
      LOG_LEVEL: "warn",
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      SUGGESTIONS_URL: context.suggestionsUrl,
      USERS_URL: addresses.url,
      JWKS_URL: issuer.jwksUrl,
      SMTP_URL: mail?.url ?? "smtp://127.0.0.1:9",
      ...(context.bunOptions ? { BUN_OPTIONS: context.bunOptions } : {}),
      // Settings to compare, e.g. WORKER_BENCH_ENV='{"PREFETCH":"16","DATABASE_POOL_SIZE":"24"}'.
      ...(process.env.WORKER_BENCH_ENV ? JSON.parse(process.env.WORKER_BENCH_ENV) : {}),
    };
    // One after the other: each applies the migrations under a lock, and the first creates the topology.
    for (let i = 0; i < scenario.workers; i++) workers.push(await startService(WORKER_ENTRY, env));

    let next = 0;
    const body = () => {
      const a = next++ % context.users;
      const b = (a + 1 + ((next * 7919) % (context.users - 1))) % context.users;
      return { users: [benchEmail(context.emailPrefix, a), benchEmail(context.emailPrefix, b)], notify: scenario.notify, title: "Bench" };
    };
    // Warm-up: connections, JIT, the suggestions chain; not counted.
    const urls = workers.map((w) => w.url);
    await Promise.all(urls.map((url) => offerTasks({ url, rate: 50, seconds: 1, body, headers })));
    await waitFor(async () => (await sql`select 1 from tasks where status <> all(${FINAL}) limit 1`).length === 0, {
      timeoutMs: 30_000,
      what: "warm-up tasks",
    });
    await sql`delete from tasks`;
    mail?.mails.splice(0);

    const watch: Record<string, number> = {
      ...context.services,
      ...Object.fromEntries(workers.map((w, i) => [`worker${i + 1}`, w.process.pid])),
    };
    // The local broker, when it runs here (shared with anything else using it meanwhile).
    const broker = Bun.spawnSync(["pgrep", "-o", "beam.smp"]).stdout.toString().trim();
    if (broker) watch.rabbitmq = Number(broker);
    const watcher = watchProcesses(watch);
    const transactions = async () =>
      (
        await sql<
          { n: number }[]
        >`select (xact_commit + xact_rollback)::float8 as n from pg_stat_database where datname = current_database()`
      )[0]!.n;
    const transactionsBefore = await transactions();
    const busy = watchMachine();
    // The worker's Postgres backends (the bench's own two connections poll lightly and are left out).
    const postgresCpu = await watchProcessGroup(async () =>
      (
        await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name <> 'bench'`
      ).map((r) => r.pid),
    );
    const cpuBefore = process.cpuUsage();
    // Each worker process gets its share of the arrivals, as a load balancer in front of them would.
    const loads = await Promise.all(
      urls.map((url) => offerTasks({ url, rate: scenario.rate / urls.length, seconds: scenario.seconds, body, headers })),
    );
    const accepted = loads.flatMap((l) => l.accepted);
    const generatorCpu = process.cpuUsage(cpuBefore);
    await waitFor(async () => (await sql`select 1 from tasks where status <> all(${FINAL}) limit 1`).length === 0, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: "accepted tasks to finish",
    }).catch(() => undefined);
    const machineBusy = busy();
    const postgresSeconds = await postgresCpu();
    // Postgres publishes its statistics within a second or so of each commit.
    await Bun.sleep(1500);
    const transactionsAfter = await transactions();
    const usage = watcher.stop();

    const statuses: Record<string, number> = Object.fromEntries(
      (
        await sql<
          { status: string; n: number }[]
        >`select status, count(*)::int as n from tasks where id = any(${accepted}::uuid[]) group by status`
      ).map((row) => [row.status, row.n]),
    );
    const [timing] = await sql<{ p: number[] | null; span: number | null }[]>`
      select percentile_cont(array[0.5, 0.95, 0.99]) within group (order by extract(epoch from updated_at - created_at) * 1000) as p,
             extract(epoch from max(updated_at) - min(created_at))::float8 as span
      from tasks where status = 'done' and id = any(${accepted}::uuid[])`;
    const done = statuses.done ?? 0;
    const seconds = Math.max(...loads.map((l) => l.seconds));
    const cpuPerTask = (name: string) => Math.round(((usage[name]?.cpu_seconds ?? 0) * 1000 * 1000) / Math.max(1, done)) / 1000;
    const postMs = loads.flatMap((l) => l.postMs);
    return {
      ...scenario,
      offered: Math.round(scenario.rate * scenario.seconds),
      accepted: accepted.length,
      refused: Object.assign({}, ...loads.map((l) => l.refused)),
      skipped: loads.reduce((n, l) => n + l.skipped, 0),
      statuses,
      lost: accepted.length - done,
      accepted_per_s: accepted.length / seconds,
      done_per_s: timing?.span ? done / timing.span : 0,
      post_p50_ms: percentile(postMs, 0.5),
      post_p95_ms: percentile(postMs, 0.95),
      done_p50_ms: timing?.p?.[0] ?? NaN,
      done_p95_ms: timing?.p?.[1] ?? NaN,
      done_p99_ms: timing?.p?.[2] ?? NaN,
      ...(mail ? { mails: { expected: done * 2, received: mail.mails.length } } : {}),
      worker_rss_mb: workers.map((_, i) => usage[`worker${i + 1}`]?.max_rss_mb ?? 0),
      worker_cpu_ms_per_task: workers.map((_, i) => cpuPerTask(`worker${i + 1}`)),
      services_cpu_ms_per_task: Object.keys(context.services).reduce((sum, name) => sum + cpuPerTask(name), 0),
      generator_cpu_ms_per_task: (generatorCpu.user + generatorCpu.system) / 1000 / Math.max(1, accepted.length),
      postgres_cpu_ms_per_task: (postgresSeconds * 1000) / Math.max(1, done),
      rabbitmq_cpu_ms_per_task: cpuPerTask("rabbitmq"),
      postgres_transactions_per_task: (transactionsAfter - transactionsBefore) / Math.max(1, done),
      machine_busy: machineBusy,
      usage,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await sql.end({ timeout: 1 });
    await mail?.close();
    await addresses.stop();
    await issuer.stop();
    await database.drop();
    await removeQueues(prefix);
  }
}

async function removeQueues(prefix: string) {
  const rabbit = await openRabbit();
  await rabbit.removeTopology(queueNames(prefix), retryDelays({ RETRY_BASE_MS: 5000, MAX_ATTEMPTS: 5 }));
  await rabbit.close();
}
