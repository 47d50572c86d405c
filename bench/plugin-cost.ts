// What each of the kit's plugins costs per request: the same route (a validated two-user query, a small JSON
// answer with a response schema) on plain Bun.serve, on a bare Elysia app and with the kit's plugins added
// one at a time. Each is measured twice: in process through `app.handle` (the framework alone), and served
// on a socket under wrk (-t1 -c8), as the CPU this process spent per answered request (Bun's HTTP server
// included). Interleaved over rounds; medians. Run: bun bench/plugin-cost.ts [--requests=20000 --rounds=3 --seconds=4]
import { parseArgs } from "node:util";
import { wrkBinary } from "./wrk.ts";
import { GroupQuery } from "@w2meet/contracts";
import { bodyLimits, caseId, corsPolicy, createLogger, docs, health, metrics, problemDetails, requestLog } from "@w2meet/kit";
import { Elysia, t } from "elysia";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "4" },
  },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const wrk = wrkBinary();
// As the benchmark runs the services: the log line is built and filtered, not written.
const logger = createLogger({ service: "cost", level: "warn" });
const Answer = t.Object({ users: t.Array(t.String()), count: t.Number() });

const route = (app: Elysia<any, any, any, any, any, any, any>) =>
  app.get("/group", ({ query }) => ({ users: (query.users ?? "").split(","), count: 2 }), { query: GroupQuery, response: { 200: Answer } });

/** Each step adds one plugin to the previous step's, in createService's order. */
const steps: [string, () => Elysia<any, any, any, any, any, any, any>][] = [
  ["bare Elysia, query and response schemas", () => new Elysia({ normalize: false })],
  ["+ request log", () => new Elysia({ normalize: false }).use(requestLog({ logger }))],
  ["+ case id", () => new Elysia({ normalize: false }).use(requestLog({ logger })).use(caseId())],
  ["+ problem details", () => new Elysia({ normalize: false }).use(requestLog({ logger })).use(caseId()).use(problemDetails({ logger }))],
  ["+ body limits", () => withKit(4)],
  ["+ docs", () => withKit(5)],
  ["+ health", () => withKit(6)],
  ["+ metrics", () => withKit(7)],
  ["+ CORS (none configured)", () => withKit(8)],
];

function withKit(count: number) {
  const plugins = [
    () => requestLog({ logger }),
    () => caseId(),
    () => problemDetails({ logger }),
    () => bodyLimits(),
    () => docs({ name: "cost", description: "cost", bodyLimitBytes: 65536 }),
    () => health({ service: "cost" }),
    () => metrics({ service: "cost" }),
    () => corsPolicy(),
  ];
  let app: Elysia<any, any, any, any, any, any, any> = new Elysia({ normalize: false });
  for (const plugin of plugins.slice(0, count)) app = app.use(plugin());
  return app;
}

const apps = steps.map(([name, make]) => ({ name, app: route(make()) }));
const path = "/group?users=ada@example.com,grace@example.com";

/** µs per request in process, through app.handle. */
async function inProcess(app: Elysia<any, any, any, any, any, any, any>) {
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const response = await app.handle(new Request(`http://localhost${path}`, { headers: { "case-id": `c-${i}` } }));
    await response.text();
  }
  return ((performance.now() - started) * 1000) / requests;
}

/** µs of this process's CPU per request answered on a socket under wrk. */
async function served(serve: (port: number) => { stop: () => unknown }) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = serve(port);
  const before = process.cpuUsage();
  const child = Bun.spawn([wrk, "-t1", "-c8", `-d${seconds}s`, "-H", "case-id: cost-1", `http://127.0.0.1:${port}${path}`], {
    stdout: "pipe",
  });
  const output = await new Response(child.stdout).text();
  const used = process.cpuUsage(before);
  await server.stop();
  const answered = Number(output.match(/(\d+) requests in /)?.[1] ?? Number.NaN);
  return (used.user + used.system) / answered;
}

const plain = (port: number) =>
  Bun.serve({
    port,
    fetch: () =>
      new Response('{"users":["ada@example.com","grace@example.com"],"count":2}', { headers: { "content-type": "application/json" } }),
  });
const listened = (app: Elysia<any, any, any, any, any, any, any>) => (port: number) => {
  app.listen(port);
  return { stop: () => app.stop(true) };
};

const rows = [
  { name: "plain Bun.serve, the same JSON, no checks", handle: undefined, serve: plain },
  ...apps.map(({ name, app }) => ({ name, handle: app, serve: listened(app) })),
];
const times = rows.map(() => ({ handle: [] as number[], socket: [] as number[] }));
for (const { handle } of rows) if (handle) await inProcess(handle); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [i, row] of rows.entries()) {
    if (row.handle) times[i]!.handle.push(await inProcess(row.handle));
    times[i]!.socket.push(await served(row.serve));
  }
}
const median = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! : Number.NaN);
console.log("| app | in process, µs/request | added | on a socket, CPU µs/request | added |\n|---|---:|---:|---:|---:|");
let previous = { handle: Number.NaN, socket: Number.NaN };
for (const [i, { name }] of rows.entries()) {
  const now = { handle: median(times[i]!.handle), socket: median(times[i]!.socket) };
  const added = (key: "handle" | "socket") =>
    Number.isNaN(previous[key]) || Number.isNaN(now[key]) ? "–" : (now[key] - previous[key]).toFixed(1);
  const shown = (value: number) => (Number.isNaN(value) ? "–" : value.toFixed(1));
  console.log(`| ${name} | ${shown(now.handle)} | ${added("handle")} | ${shown(now.socket)} | ${added("socket")} |`);
  previous = now;
}
