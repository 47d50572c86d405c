// `bun run bench` (bun bench/run.ts): the contract's performance budgets, measured with k6 against the native services.
// `bun run bench:smoke`: the same scripts for a few seconds with loose thresholds (CI), so they cannot rot.
// Starts users, availability and suggestions on free ports (own database and cache prefix), seeds the
// benchmark users through the API, warms the cache, runs k6/*.js, watches each service's memory and CPU,
// writes bench/results/*.json and prints the table against the budgets. Exits 1 when a budget is missed.
// Then the worker: tasks POSTed at a steady rate (a Bun generator, bench/load.ts) to one and to two worker
// processes, every accepted task counted in Postgres afterwards, and a smaller run that mails invitations.
// The floor comparison (--only=floor): the cache hit and a suggestion of 2 users against plain Bun.serve processes
// doing the same hops (bench/floor-server.ts), closed-loop with wrk, interleaved, in rounds; prints real/floor.
// Flags: --smoke, --profile / --no-profile (per-hop runs; on by default only in a full run without --only),
// --only=floor,cache-hit,suggestions,common-100,explain-100,token,worker, --users=200,
// --floor-rounds=3 --floor-seconds=10 --floor-threads=2 --floor-connections=16 --floor-slices=5 (the floor comparison's wrk),
// --worker-rate=300 --worker-seconds=30 (the worker's offered load),
// --cpu-prof (Markdown CPU profiles of the services), --bun-options=--smol (flags for the services),
// --log-level=warn|info (the services' LOG_LEVEL; at info, their default, each request's log line is written to a
// file under bench/results/logs, as a log collector would take it; warn builds none),
// --seed-only=<users API base URL> (seed the benchmark users elsewhere, e.g. through the gateway, and exit).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchLogLevel, describeLogged, startNativeSystem } from "./native.ts";
import { k6Binary, runK6, type K6Run } from "./k6.ts";
import { benchmarkRows, markdownTable, profileRows } from "./report.ts";
import { benchToken, seedUsers } from "./seed.ts";
import { compareWithFloor, floorRows } from "./floor.ts";
import { wrkBinary } from "./wrk.ts";
import { runWorkerScenario, type WorkerResult } from "./worker.ts";
import { workerProfileRows, workerRows, workerScenarios } from "./worker-report.ts";

const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    smoke: { type: "boolean", default: false },
    // The per-hop profile of a suggestion; on by default in a full run, off in a smoke run.
    profile: { type: "boolean" },
    users: { type: "string", default: "200" },
    // Writes a Markdown CPU profile of each service to bench/results/profiles when it stops.
    "cpu-prof": { type: "boolean", default: false },
    // Extra Bun flags for the services, e.g. --bun-options=--smol to compare memory.
    "bun-options": { type: "string", default: "" },
    // Runs only these scenarios: any of cache-hit, suggestions, common-100, explain-100, token, worker (or worker-1, worker-2, worker-mail).
    only: { type: "string" },
    "floor-rounds": { type: "string", default: "3" },
    "floor-seconds": { type: "string", default: "10" },
    "floor-threads": { type: "string", default: "2" },
    "floor-connections": { type: "string", default: "16" },
    "floor-slices": { type: "string", default: "5" },
    "worker-rate": { type: "string", default: "300" },
    "worker-seconds": { type: "string", default: "30" },
    "log-level": { type: "string" },
    // Only seeds the benchmark users through this users API (e.g. the gateway's http://localhost:8080/api), then exits.
    "seed-only": { type: "string" },
  },
});
const smoke = flags.smoke!;
const profile = flags.profile ?? (!smoke && !flags.only);
const ROOT = join(import.meta.dir, "..");
const resultsDir = join(ROOT, "bench", "results");
const run = crypto.randomUUID().slice(0, 8);
const prefix = "bench-";
const say = (line: string) => process.stdout.write(`${line}\n`);

if (flags["seed-only"]) {
  await seedUsers(flags["seed-only"].replace(/\/+$/, ""), { count: Number(flags.users), prefix });
  say(`seeded and warmed ${flags.users} benchmark users through ${flags["seed-only"]}`);
  process.exit(0);
}

const logLevel = benchLogLevel(flags["log-level"]);
const wanted = (scenario: string) => !flags.only || flags.only.split(",").includes(scenario);
// Refuses before anything starts when the floor comparison's generator is missing.
const wrk = wanted("floor") ? wrkBinary() : "";
const k6Scenarios = ["cache-hit", "suggestions", "common-100", "explain-100", "token"];
// k6 only when a k6 script runs (installed on first use); the floor comparison and the worker need none.
const k6 = profile || k6Scenarios.some(wanted) ? await k6Binary() : "";
const started = performance.now();
say(`starting users, availability and suggestions (run ${run}, LOG_LEVEL=${logLevel})`);
const bunOptions = [flags["bun-options"], flags["cpu-prof"] ? `--cpu-prof-md --cpu-prof-dir=${join(resultsDir, "profiles")}` : ""]
  .join(" ")
  .trim();
const system = await startNativeSystem(run, bunOptions ? { BUN_OPTIONS: bunOptions } : {}, { logLevel });
let failed = false;
try {
  const userCount = Number(flags.users);
  await seedUsers(system.users.url, { count: userCount, prefix });
  say(`seeded and warmed ${userCount} users through ${system.users.url}`);

  const watch = {
    users: system.users.process.pid,
    availability: system.availability.process.pid,
    suggestions: system.suggestions.process.pid,
  };
  const common = { USER_COUNT: String(userCount), EMAIL_PREFIX: prefix, ...(smoke ? { SMOKE: "1" } : {}) };
  const k6Run = async (script: string, name: string, env: Record<string, string>) => {
    say(`k6 ${script}${env.HOP ? ` (${env.HOP})` : ""}`);
    const result = await runK6({ k6, script, name, env: { ...common, ...env }, resultsDir, watch });
    if (!result.summary) say(`  k6 wrote no summary (exit ${result.exitCode}); see ${result.log}`);
    return result;
  };

  const floor = wanted("floor")
    ? await (async () => {
        const settings = {
          rounds: Number(flags["floor-rounds"]),
          threads: Number(flags["floor-threads"]),
          connections: Number(flags["floor-connections"]),
          slices: smoke ? 1 : Number(flags["floor-slices"]),
          seconds: smoke ? 2 : Number(flags["floor-seconds"]),
        };
        say(
          `floor comparison: wrk -t${settings.threads} -c${settings.connections}, ${settings.seconds} s a side in ${settings.slices} slices, ${settings.rounds} rounds`,
        );
        const result = await compareWithFloor({
          wrk,
          system,
          cachePrefix: `bench:${run}:`,
          users: userCount,
          emailPrefix: prefix,
          say,
          ...settings,
        });
        const logged = logLevel === "warn" ? undefined : await system.loggedLines();
        if (logged) say(`  log lines written: ${describeLogged(logged)}`);
        await Bun.write(
          join(resultsDir, "floor.json"),
          `${JSON.stringify({ settings: { ...settings, logLevel }, logged, ...result }, null, 2)}\n`,
        );
        return result;
      })()
    : undefined;
  const cacheHit = wanted("cache-hit") ? await k6Run("cache-hit.js", "cache-hit", { BASE_URL: system.users.url }) : undefined;
  const suggestions = wanted("suggestions")
    ? await k6Run("suggestions.js", "suggestions", { BASE_URL: system.suggestions.url, USERS_URL: system.users.url })
    : undefined;
  const commonRun = wanted("common-100")
    ? await k6Run("common-100.js", "common-100", { BASE_URL: system.availability.url, USERS_URL: system.users.url })
    : undefined;
  const explainRun = wanted("explain-100")
    ? await k6Run("explain-100.js", "explain-100", { BASE_URL: system.suggestions.url, USERS_URL: system.users.url })
    : undefined;
  const token = wanted("token")
    ? await k6Run("token.js", "token", { BASE_URL: system.users.url, TOKEN: await benchToken(system.users.url, prefix) })
    : undefined;
  const hops: K6Run[] = [];
  if (profile) {
    const hopEnv = smoke ? { RATE: "100", SECONDS: "3" } : { RATE: "1000", SECONDS: "15" };
    for (const [hop, url] of [
      ["users", system.users.url],
      ["availability", system.availability.url],
      ["suggestions", system.suggestions.url],
    ] as const) {
      hops.push(await k6Run("hop.js", `hop-${hop}`, { ...hopEnv, HOP: hop, BASE_URL: url, USERS_URL: system.users.url }));
    }
  }

  const workerResults: WorkerResult[] = [];
  {
    // --only=worker runs the three; --only=worker-1 (worker-2, worker-mail) one of them.
    const scenarios = workerScenarios(smoke, Number(flags["worker-rate"]), Number(flags["worker-seconds"]));
    for (const scenario of scenarios.filter((s) => wanted("worker") || wanted(s.name))) {
      say(
        `worker ${scenario.name}: ${scenario.workers} process(es), ${scenario.rate} tasks/s for ${scenario.seconds} s, notify ${scenario.notify}`,
      );
      const result = await runWorkerScenario(scenario, {
        run,
        suggestionsUrl: system.suggestions.url,
        users: userCount,
        emailPrefix: prefix,
        services: watch,
        bunOptions,
      });
      await Bun.write(join(resultsDir, `${scenario.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
      workerResults.push(result);
    }
  }

  const all = [cacheHit, suggestions, commonRun, explainRun, token, ...hops].filter((r): r is K6Run => r !== undefined);
  const usages = [...all.map((r) => r.usage), ...workerResults.map((r) => r.usage)];
  const memory = Object.fromEntries(
    Object.keys(watch).map((name) => [name, Math.max(...usages.map((usage) => usage[name]?.max_rss_mb ?? 0))]),
  );
  if (workerResults.length) memory.worker = Math.max(...workerResults.flatMap((r) => r.worker_rss_mb));
  const serviceRows = benchmarkRows({ cacheHit, suggestions, common: commonRun, explain: explainRun, token }, memory, smoke);
  // The memory row stays last, and only when some scenario loaded the services under the sampler.
  const memoryRow = usages.length ? [serviceRows.at(-1)!] : [];
  const rows = [...serviceRows.slice(0, -1), ...workerRows(workerResults, smoke), ...memoryRow];
  const table = markdownTable(
    ["scenario", "budget", "measured", "verdict"],
    rows.map((r) => [r.scenario, r.budget, r.measured, r.verdict]),
  );
  const profileTable = hops.length
    ? markdownTable(
        [
          "hop alone",
          "sent",
          "p50",
          "p95",
          "p99",
          "users CPU ms/req",
          "availability CPU ms/req",
          "suggestions CPU ms/req",
          "k6 CPU ms/req",
        ],
        profileRows(hops),
      )
    : "";
  const workerTable = workerResults.length
    ? markdownTable(
        [
          "worker scenario",
          "done",
          "worker CPU ms/task",
          "users+availability+suggestions CPU ms/task",
          "worker's Postgres backends CPU ms/task",
          "Postgres transactions/task",
          "RabbitMQ CPU ms/task (shared broker)",
          "generator CPU ms/task",
          "machine busy",
        ],
        workerProfileRows(workerResults),
      )
    : "";
  say(
    `\n${smoke ? "Smoke run (loose thresholds; the numbers do not count)" : "Benchmark"}, ${navigator.hardwareConcurrency} CPUs, ${Math.round((performance.now() - started) / 1000)} s\n`,
  );
  if (rows.length) say(table);
  const floorTable = floor
    ? markdownTable(
        ["route (wrk, closed loop)", "real services (median)", "floor (median)", "real/floor (rounds)", "spread"],
        floorRows(floor),
      )
    : "";
  if (floorTable)
    say(
      `\nAgainst the plain-Bun floor (the hypervisor took ${floor!.host_steal_percent} % of the host's CPU time meanwhile; services at LOG_LEVEL=${logLevel}):\n\n${floorTable}`,
    );
  if (profileTable) say(`\nWhere a suggestion's time goes (each hop alone):\n\n${profileTable}`);
  if (workerTable) say(`\nWhere a task's CPU goes:\n\n${workerTable}`);
  say(`\nresults: ${resultsDir}`);

  await Bun.write(
    join(resultsDir, "summary.md"),
    `${table}\n${floorTable ? `\n${floorTable}\n` : ""}${profileTable ? `\n${profileTable}\n` : ""}${workerTable ? `\n${workerTable}\n` : ""}`,
  );
  await Bun.write(
    join(resultsDir, "summary.json"),
    `${JSON.stringify(
      {
        smoke,
        cpus: navigator.hardwareConcurrency,
        finished_at: new Date().toISOString(),
        rows,
        memory_mb: memory,
        usage: Object.fromEntries([
          ...all.map((r) => [r.summary?.name ?? r.script, r.usage]),
          ...workerResults.map((r) => [r.name, r.usage]),
        ]),
      },
      null,
      2,
    )}\n`,
  );
  failed = rows.some((row) => row.verdict.includes("FAIL")) || all.some((r) => !r.summary);
} finally {
  for (const [name, service] of Object.entries({
    users: system.users,
    availability: system.availability,
    suggestions: system.suggestions,
  })) {
    if (service.process.exitCode !== null) {
      failed = true;
      say(`${name} exited during the benchmark (code ${service.process.exitCode}); its output is in bench/results/${name}.log`);
    }
    await Bun.write(join(resultsDir, `${name}.log`), service.logs());
  }
  await system.stop();
}
process.exit(failed ? 1 : 0);
