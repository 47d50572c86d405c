import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startService, type RunningService } from "@w2meet/testing";
import type { NativeSystem } from "./native.ts";
import { watchProcesses } from "./sampler.ts";
import { runWrk, type WrkRun } from "./wrk.ts";

const FLOOR_SERVER = join(import.meta.dir, "floor-server.ts");

/** The routes compared with their floors. */
export const ROUTES = ["cache-hit", "suggestions"] as const;
export type Route = (typeof ROUTES)[number];

/** The plain Bun.serve processes of the floor: one Redis GET; and suggestions -> availability -> users (one MGET). */
async function startFloor(cachePrefix: string) {
  const started: RunningService[] = [];
  const start = async (mode: string, env: Record<string, string> = {}) => {
    const service = await startService(FLOOR_SERVER, { FLOOR: mode, CACHE_PREFIX: cachePrefix, ...env });
    started.push(service);
    return service;
  };
  try {
    const cacheHit = await start("cache-hit");
    const users = await start("users");
    const availability = await start("relay", { UPSTREAM: `${users.url}/users/availability?users=` });
    const suggestions = await start("relay", { UPSTREAM: `${availability.url}/availability/members?users=` });
    return {
      urls: { "cache-hit": cacheHit.url, suggestions: suggestions.url },
      pids: {
        "cache-hit": { users: cacheHit.process.pid },
        suggestions: { users: users.process.pid, availability: availability.process.pid, suggestions: suggestions.process.pid },
      },
      stop: () => Promise.all(started.map((s) => s.stop())),
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
}

/**
 * What one side did in a round: wrk's numbers, the CPU each server process spent per request (ms), and
 * the req/s of each slice, in the order they ran.
 */
export type Side = WrkRun & { cpu_ms_per_request: Record<string, number>; slice_requests_per_s: number[] };

/** One round of one route: the real services and the floor under the same load, and real/floor. */
export type FloorRound = { route: Route; round: number; real: Side; floor: Side; ratio: number };

/** A route's ratios over the rounds: the median, and how far the farthest round lies from it (stable: ≤ 0.05). */
export type FloorVerdict = { route: Route; ratios: number[]; median: number; spread: number; stable: boolean };

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** A server under test: where wrk sends its load, and the processes whose CPU it costs. */
export type Target = { url: string; pids: Record<string, number> };

/**
 * Two targets under the same wrk load for one route, `seconds` each, cut into `slices` that alternate
 * between them (which goes first alternates with the round and the slice), so that a slow spell of the
 * machine falls on both rather than on one. Any failed answer aborts the run.
 */
export async function alternateSlices<Name extends string>(options: {
  wrk: string;
  route: Route;
  round: number;
  sides: Record<Name, Target>;
  users: number;
  emailPrefix: string;
  threads: number;
  connections: number;
  seconds: number;
  slices: number;
}): Promise<Record<Name, Side>> {
  const names = Object.keys(options.sides) as Name[];
  const slices = Object.fromEntries(names.map((name) => [name, [] as { run: WrkRun; cpu: Record<string, number> }[]])) as Record<
    Name,
    { run: WrkRun; cpu: Record<string, number> }[]
  >;
  for (let slice = 0; slice < options.slices; slice++) {
    const order = (options.round + slice) % 2 ? names : [...names].reverse();
    for (const name of order) {
      const side = options.sides[name];
      const watcher = watchProcesses(side.pids);
      const { output, ...run } = await runWrk({ ...options, baseUrl: side.url, seconds: options.seconds / options.slices });
      const usage = watcher.stop();
      if (run.errors || !Number.isFinite(run.requests_per_s)) {
        throw new Error(`wrk against ${name} (${options.route}) saw ${run.errors} failed answers:\n${output}`);
      }
      slices[name].push({ run, cpu: Object.fromEntries(Object.entries(usage).map(([process, used]) => [process, used.cpu_seconds])) });
    }
  }
  const sideOf = (name: Name): Side => {
    const runs = slices[name].map((s) => s.run);
    const requests = runs.reduce((sum, run) => sum + run.requests, 0);
    const processes = Object.keys(slices[name][0]!.cpu);
    return {
      requests,
      errors: 0,
      requests_per_s: runs.reduce((sum, run) => sum + run.requests_per_s, 0) / runs.length,
      slice_requests_per_s: runs.map((run) => run.requests_per_s),
      // Latency percentiles cannot be merged exactly: the median of the slices' own.
      p50_ms: median(runs.map((run) => run.p50_ms)),
      p99_ms: median(runs.map((run) => run.p99_ms)),
      cpu_ms_per_request: Object.fromEntries(
        processes.map((process) => [process, (slices[name].reduce((sum, s) => sum + s.cpu[process]!, 0) * 1000) / requests]),
      ),
    };
  };
  return Object.fromEntries(names.map((name) => [name, sideOf(name)])) as Record<Name, Side>;
}

/**
 * A round's real/floor: the median over its slices of each real slice's req/s over the floor slice run
 * next to it. A slow spell of a shared host (another tenant's load) lowers the slices it falls on, and
 * the median of the pairs sets those aside where a ratio of the round's means would not.
 */
const pairedRatio = (real: Side, floor: Side): number =>
  median(real.slice_requests_per_s.map((requests, slice) => requests / floor.slice_requests_per_s[slice]!));

/** The host's CPU time so far and the part of it taken by the hypervisor for others (steal), from /proc/stat. */
function hostTicks(): { total: number; steal: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
}

/**
 * The closed-loop comparison with the floor, in one run: for each round and route, wrk against the real
 * services and against the floor, same settings, in alternating slices (which goes first alternates too).
 */
export async function compareWithFloor(options: {
  wrk: string;
  system: NativeSystem;
  cachePrefix: string;
  users: number;
  emailPrefix: string;
  rounds: number;
  threads: number;
  connections: number;
  seconds: number;
  /** How many alternating slices each side's seconds are cut into. */
  slices: number;
  say: (line: string) => void;
}): Promise<{ rounds: FloorRound[]; verdicts: FloorVerdict[]; host_steal_percent: number }> {
  const floor = await startFloor(options.cachePrefix);
  const ticksBefore = hostTicks();
  const real: Record<Route, string> = { "cache-hit": options.system.users.url, suggestions: options.system.suggestions.url };
  const { users, availability, suggestions } = options.system;
  const realPids: Record<Route, Record<string, number>> = {
    "cache-hit": { users: users.process.pid },
    suggestions: { users: users.process.pid, availability: availability.process.pid, suggestions: suggestions.process.pid },
  };
  const rounds: FloorRound[] = [];
  try {
    // Unmeasured: JIT and connection pools warm on both sides before the first round counts.
    for (const route of ROUTES) {
      for (const baseUrl of [real[route], floor.urls[route]])
        await runWrk({ ...options, route, baseUrl, seconds: Math.min(3, options.seconds) });
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const route of ROUTES) {
        const measured = await alternateSlices({
          ...options,
          route,
          round,
          sides: {
            real: { url: real[route], pids: realPids[route] },
            floor: { url: floor.urls[route], pids: floor.pids[route] },
          },
        });
        const realRun = measured.real;
        const floorRun = measured.floor;
        const cpu = (run: Side) =>
          Object.entries(run.cpu_ms_per_request)
            .map(([name, ms]) => `${name} ${ms.toFixed(3)}`)
            .join(", ");
        const ratio = pairedRatio(realRun, floorRun);
        options.say(
          `  round ${round} ${route}: real ${Math.round(realRun.requests_per_s)} req/s (p99 ${realRun.p99_ms.toFixed(2)} ms), ` +
            `floor ${Math.round(floorRun.requests_per_s)} req/s (p99 ${floorRun.p99_ms.toFixed(2)} ms), ratio ${ratio.toFixed(2)}`,
        );
        options.say(`    CPU ms/request: real ${cpu(realRun)}; floor ${cpu(floorRun)}`);
        rounds.push({ route, round, real: realRun, floor: floorRun, ratio });
      }
    }
  } finally {
    await floor.stop();
  }
  const ticksAfter = hostTicks();
  // Time the host's hypervisor gave to other machines: the more, the noisier every number above.
  const stealPercent = (100 * (ticksAfter.steal - ticksBefore.steal)) / Math.max(1, ticksAfter.total - ticksBefore.total);
  options.say(`  the hypervisor took ${stealPercent.toFixed(1)} % of this host's CPU time for others during the comparison`);
  const verdicts = ROUTES.map((route) => {
    const ratios = rounds.filter((r) => r.route === route).map((r) => r.ratio);
    const middle = median(ratios);
    const spread = Math.max(...ratios.map((ratio) => Math.abs(ratio - middle)));
    return { route, ratios, median: middle, spread, stable: spread <= 0.05 };
  });
  return { rounds, verdicts, host_steal_percent: Math.round(stealPercent * 10) / 10 };
}

/** The comparison as table rows: per route, the medians of both sides and the ratio with its spread. */
export function floorRows(result: { rounds: FloorRound[]; verdicts: FloorVerdict[] }): string[][] {
  return result.verdicts.map((verdict) => {
    const of = (side: "real" | "floor", pick: (run: WrkRun) => number) =>
      median(result.rounds.filter((r) => r.route === verdict.route).map((r) => pick(r[side])));
    const side = (name: "real" | "floor") =>
      `${Math.round(of(name, (r) => r.requests_per_s)).toLocaleString("en-US")} req/s, p50 ${of(name, (r) => r.p50_ms).toFixed(2)} ms, p99 ${of(name, (r) => r.p99_ms).toFixed(2)} ms`;
    return [
      verdict.route === "cache-hit" ? "cache hit, GET /users/{email}/availability" : "GET /suggestions, 2 users",
      side("real"),
      side("floor"),
      `${verdict.median.toFixed(2)} (${verdict.ratios.map((r) => r.toFixed(2)).join(", ")})`,
      `±${verdict.spread.toFixed(2)} ${verdict.stable ? "stable" : "UNSTABLE"}`,
    ];
  });
}
