// Before and after a change, in one run: this checkout's services (B, after) and another checkout's (A, before:
// `git worktree add ../w2meet-before <commit> && (cd ../w2meet-before && bun install)`), both started natively
// at once, each seeded with the benchmark users, under the same closed-loop wrk load in alternating slices: the
// cache hit and a suggestion of 2 users, as in the floor comparison (bench/floor.ts).
//   bun bench/ab.ts ../w2meet-before [--pairs=8] [--seconds=2] [--users=200] [--threads=2] [--connections=16] [--log-level=warn|info]
// --log-level=info: both sides write their request log (to files, see bench/native.ts); the other checkout must
// know the option too (bench/native.ts from 2026-11-22 on), or the comparison refuses to run.
// Prints, per route, each side's median req/s and CPU per request of each service (/proc/<pid>/stat), and the
// medians of B/A over the pairs of slices; bench/results/ab.json keeps every pair. The CPU per request is the
// steadier of the two numbers on a shared machine: a slow spell of the host lowers both sides' req/s, not their
// CPU per request.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { alternateSlices, median, ROUTES, type Side, type Target } from "./floor.ts";
import { benchLogLevel, describeLogged, type NativeSystem, startNativeSystem } from "./native.ts";
import { seedUsers } from "./seed.ts";
import { wrkBinary } from "./wrk.ts";

const { values: flags, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  allowPositionals: true,
  options: {
    pairs: { type: "string", default: "8" },
    seconds: { type: "string", default: "2" },
    users: { type: "string", default: "200" },
    threads: { type: "string", default: "2" },
    connections: { type: "string", default: "16" },
    "log-level": { type: "string" },
  },
});
const logLevel = benchLogLevel(flags["log-level"]);
const before = positionals[0];
if (!before) throw new Error("Name the checkout to compare with: bun bench/ab.ts ../w2meet-before");
const beforeRoot = resolve(before);
const wrk = wrkBinary();
const prefix = "bench-";
const users = Number(flags.users);

// The other checkout starts its own services, with its own code and settings.
const startBefore = (await import(resolve(beforeRoot, "bench", "native.ts"))).startNativeSystem as typeof startNativeSystem;
const run = crypto.randomUUID().slice(0, 8);
const systems: Record<"A" | "B", NativeSystem> = {
  A: await startBefore(`ab-a-${run}`, {}, { logLevel }),
  B: await startNativeSystem(`ab-b-${run}`, {}, { logLevel }),
};
try {
  if (logLevel !== "warn" && typeof systems.A.loggedLines !== "function") {
    throw new Error(`${beforeRoot} cannot write its services' request log to files: compare at --log-level=warn`);
  }
  await Promise.all(Object.values(systems).map((system) => seedUsers(system.users.url, { count: users, prefix })));
  const targetOf = ({ users: u, availability, suggestions }: NativeSystem, route: (typeof ROUTES)[number]): Target =>
    route === "cache-hit"
      ? { url: u.url, pids: { users: u.process.pid } }
      : {
          url: suggestions.url,
          pids: { users: u.process.pid, availability: availability.process.pid, suggestions: suggestions.process.pid },
        };
  const sides = (route: (typeof ROUTES)[number]) => ({ A: targetOf(systems.A, route), B: targetOf(systems.B, route) });
  const settings = { wrk, users, emailPrefix: prefix, threads: Number(flags.threads), connections: Number(flags.connections) };
  const seconds = Number(flags.seconds);
  // Unmeasured: JIT and connection pools warm on both sides first.
  for (const route of ROUTES) await alternateSlices({ ...settings, route, round: 0, sides: sides(route), seconds: 3, slices: 1 });
  const pairs: { route: string; pair: number; A: Side; B: Side }[] = [];
  for (const route of ROUTES) {
    for (let pair = 1; pair <= Number(flags.pairs); pair++) {
      const measured = await alternateSlices({ ...settings, route, round: pair, sides: sides(route), seconds, slices: 1 });
      pairs.push({ route, pair, ...measured });
    }
  }
  const cpu = (side: Side) => Object.values(side.cpu_ms_per_request).reduce((sum, ms) => sum + ms, 0);
  console.log(
    `B (${process.cwd()}) against A (${beforeRoot}): wrk -t${settings.threads} -c${settings.connections}, ${flags.pairs} pairs of ${seconds} s slices`,
  );
  for (const route of ROUTES) {
    const of = pairs.filter((p) => p.route === route);
    const perService = (name: "A" | "B") =>
      Object.keys(of[0]![name].cpu_ms_per_request)
        .map((service) => `${service} ${median(of.map((p) => p[name].cpu_ms_per_request[service]!)).toFixed(4)}`)
        .join(", ");
    for (const name of ["A", "B"] as const) {
      console.log(
        `  ${route} ${name}: ${Math.round(median(of.map((p) => p[name].requests_per_s)))} req/s, p99 ${median(of.map((p) => p[name].p99_ms)).toFixed(2)} ms; CPU ms/request ${perService(name)}`,
      );
    }
    const rps = of.map((p) => p.B.requests_per_s / p.A.requests_per_s);
    const cpus = of.map((p) => cpu(p.B) / cpu(p.A));
    console.log(
      `  ${route} B/A: req/s ${median(rps).toFixed(3)} (${rps.map((r) => r.toFixed(2)).join(" ")}), CPU per request ${median(cpus).toFixed(3)} (${cpus.map((r) => r.toFixed(2)).join(" ")})`,
    );
  }
  if (logLevel !== "warn") {
    for (const name of ["A", "B"] as const) {
      console.log(`  ${name} wrote ${describeLogged(await systems[name].loggedLines())} log lines`);
    }
  }
  await Bun.write(resolve(import.meta.dir, "results", "ab.json"), `${JSON.stringify({ before: beforeRoot, flags, pairs }, null, 2)}\n`);
} finally {
  await Promise.all(Object.values(systems).map((system) => system.stop()));
}
