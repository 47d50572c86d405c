// `bun bench/hostile.ts`: how the native users and worker services answer hostile bodies. Starts both
// as real processes (own databases, cache prefix and queue names), sends each body-taking route a
// 32,000-deep nesting, a 10,000-element list and a 60 KB string, and prints for each the status, the
// content type and the time to answer; then the services' memory before and after, and how long
// /health/live takes while three deep bodies are in flight at once. REPEATS=n sends each body n times
// (20 by default); ONLY=text keeps the bodies whose description has it; NODE_ENV overrides the services'.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, removeWorkerTopology, startService, TEST_TOPOLOGY_PREFIX, type RunningService } from "@w2meet/testing";
import { loadWorkerConfig, retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";
import { SERVICE_RUNTIME_ENV } from "../scripts/runtime-env.ts";

const ROOT = join(import.meta.dir, "..");
const entry = (app: string) => join(ROOT, "apps", app, "src", "index.ts");
const run = crypto.randomUUID().slice(0, 8);
const queuePrefix = `${TEST_TOPOLOGY_PREFIX}hostile-${run}`;

const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const tenThousand = `[${Array(10_000).fill("1").join(",")}]`;
const sixtyKb = JSON.stringify("x".repeat(60_000));
const user = (name: string, monday = "[9]") =>
  `{"email":"h-${crypto.randomUUID().slice(0, 6)}@example.com","name":${name},"availabilities":{"monday":${monday}}}`;
const replace = (name: string, monday = "[9]") => `{"name":${name},"availabilities":{"monday":${monday}},"preference":"first"}`;
const task = (field: string, value: string) => `{"users":["a@example.com","b@example.com"],"${field}":${value}}`;

// The most a body may hold and still pass the kit's shape limits, to show that what the schema then checks stays cheap.
const deepestList = `${"[".repeat(7)}${Array(25_000).fill("1").join(",")}${"]".repeat(7)}`;
const hundredKeys = `{${Array.from({ length: 100 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
const thousandBadEmails = `[${Array.from({ length: 1000 }, (_, i) => `"not-an-email-${String(i).padStart(4, "0")}@"`).join(",")}]`;

type Case = { service: "users" | "worker"; route: string; method: string; path: string; what: string; body: string };
const cases: Case[] = [
  { service: "users", route: "POST /users", method: "POST", path: "/users", what: "32,000-deep body", body: deep(32_000) },
  { service: "users", route: "POST /users", method: "POST", path: "/users", what: "32,000-deep name", body: user(deep(32_000)) },
  {
    service: "users",
    route: "POST /users",
    method: "POST",
    path: "/users",
    what: "10,000-element monday",
    body: user('"Ada"', tenThousand),
  },
  { service: "users", route: "POST /users", method: "POST", path: "/users", what: "60 KB name", body: user(sixtyKb) },
  {
    service: "users",
    route: "POST /users",
    method: "POST",
    path: "/users",
    what: "60 KB email",
    body: `{"email":${sixtyKb},"name":"Ada"}`,
  },
  {
    service: "users",
    route: "PUT /users/{email}",
    method: "PUT",
    path: "/users/ada@example.com",
    what: "32,000-deep body",
    body: deep(32_000),
  },
  {
    service: "users",
    route: "PUT /users/{email}",
    method: "PUT",
    path: "/users/ada@example.com",
    what: "32,000-deep name",
    body: replace(deep(32_000)),
  },
  {
    service: "users",
    route: "PUT /users/{email}",
    method: "PUT",
    path: "/users/ada@example.com",
    what: "10,000-element monday",
    body: replace('"Ada"', tenThousand),
  },
  {
    service: "users",
    route: "PUT /users/{email}",
    method: "PUT",
    path: "/users/ada@example.com",
    what: "60 KB name",
    body: replace(sixtyKb),
  },
  { service: "worker", route: "POST /tasks", method: "POST", path: "/tasks", what: "32,000-deep body", body: deep(32_000) },
  { service: "worker", route: "POST /tasks", method: "POST", path: "/tasks", what: "32,000-deep title", body: task("title", deep(32_000)) },
  {
    service: "worker",
    route: "POST /tasks",
    method: "POST",
    path: "/tasks",
    what: "10,000-element users",
    body: `{"users":${tenThousand}}`,
  },
  { service: "worker", route: "POST /tasks", method: "POST", path: "/tasks", what: "60 KB title", body: task("title", sixtyKb) },
  {
    service: "users",
    route: "POST /users",
    method: "POST",
    path: "/users",
    what: "8 levels, 25,000 numbers (limit)",
    body: user(deepestList),
  },
  { service: "users", route: "POST /users", method: "POST", path: "/users", what: "100 unknown fields (limit)", body: hundredKeys },
  {
    service: "users",
    route: "PUT /users/{email}",
    method: "PUT",
    path: "/users/ada@example.com",
    what: "1,000 hours of 24 (limit)",
    body: replace('"Ada"', `[${Array(1000).fill("24").join(",")}]`),
  },
  {
    service: "worker",
    route: "POST /tasks",
    method: "POST",
    path: "/tasks",
    what: "1,000 bad emails (limit)",
    body: `{"users":${thousandBadEmails}}`,
  },
];
const REPEATS = 20;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
};

async function send(base: string, c: Case) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${c.path}`, { method: c.method, headers: { "content-type": "application/json" }, body: c.body });
    const text = await response.text();
    const ms = performance.now() - started;
    let errors = "";
    try {
      errors = (JSON.parse(text).errors ?? [])
        .map((e: { path: string }) => e.path)
        .join(" ")
        .slice(0, 60);
    } catch {}
    return { status: response.status, type: response.headers.get("content-type") ?? "", ms, errors };
  } catch (error) {
    return { status: 0, type: String(error), ms: performance.now() - started, errors: "" };
  }
}

const usersDb = await createTestDatabase("w2meet_hostile_users");
const workerDb = await createTestDatabase("w2meet_hostile_worker");
const started: RunningService[] = [];
try {
  const env = { ...SERVICE_RUNTIME_ENV, LOG_LEVEL: "error", ...(process.env.NODE_ENV ? { NODE_ENV: process.env.NODE_ENV } : {}) };
  const services = {
    // users publishes person.changed events under the worker's prefix, so both stay in this run's topology.
    users: await startService(entry("users"), {
      ...env,
      DATABASE_URL: usersDb.url,
      CACHE_PREFIX: `hostile:${run}:`,
      QUEUE_PREFIX: queuePrefix,
    }),
    worker: await startService(entry("worker"), { ...env, DATABASE_URL: workerDb.url, QUEUE_PREFIX: queuePrefix }),
  };
  started.push(services.users, services.worker);
  const before = { users: rssMb(services.users.process.pid), worker: rssMb(services.worker.process.pid) };
  const repeats = Number(process.env.REPEATS ?? REPEATS);
  console.log(
    `| route | body | status | content-type | first ms | median ms of ${repeats} | max ms | RSS after, MB | errors |\n|---|---|---|---|---|---|---|---|---|`,
  );
  for (const c of cases.filter((c) => !process.env.ONLY || c.what.includes(process.env.ONLY))) {
    const runs = [];
    for (let i = 0; i < repeats; i++) runs.push(await send(services[c.service].url, c));
    const r = runs[0]!;
    const ms = runs.map((run) => run.ms);
    const rss = rssMb(services[c.service].process.pid).rss;
    console.log(
      `| ${c.route} | ${c.what} | ${r.status} | ${r.type} | ${r.ms.toFixed(1)} | ${median(ms).toFixed(1)} | ${Math.max(...ms).toFixed(1)} | ${rss} | ${r.errors} |`,
    );
  }
  for (const name of ["users", "worker"] as const) {
    const base = services[name].url;
    const hostile = cases.find((c) => c.service === name && c.what === "32,000-deep body")!;
    const live: number[] = [];
    const hostileMs: number[] = [];
    for (let round = 0; round < Math.max(1, repeats / 2); round++) {
      const inFlight = Array.from({ length: 3 }, () => send(base, hostile));
      const probeStart = performance.now();
      await fetch(`${base}/health/live`).then((r) => r.text());
      live.push(performance.now() - probeStart);
      hostileMs.push(...(await Promise.all(inFlight)).map((r) => r.ms));
    }
    console.log(
      `${name}: /health/live with 3 deep bodies in flight: median ${median(live).toFixed(1)} ms, max ${Math.max(...live).toFixed(1)} ms over ${live.length} rounds (the deep bodies: median ${median(hostileMs).toFixed(1)} ms, max ${Math.max(...hostileMs).toFixed(1)} ms)`,
    );
  }
  for (const name of ["users", "worker"] as const) {
    const after = rssMb(services[name].process.pid);
    console.log(`${name}: RSS ${before[name].rss} MB before, ${after.rss} MB after; peak (VmHWM) ${before[name].peak} -> ${after.peak} MB`);
  }
} finally {
  await Promise.all(started.map((service) => service.stop()));
  await removeWorkerTopology(queueNames(queuePrefix), retryDelays(loadWorkerConfig({})));
  await usersDb.drop();
  await workerDb.drop();
}
