import { join } from "node:path";
import { startService, type RunningService } from "@w2meet/testing";
import type { NativeSystem } from "./native.ts";
import { watchProcesses } from "./sampler.ts";
import { runWrk, type WrkRun } from "./wrk.ts";

const FLOOR_SERVER = join(import.meta.dir, "floor-server.ts");

/** The routes compared with their floors. */
const ROUTES = ["cache-hit", "suggestions"] as const;
type Route = (typeof ROUTES)[number];

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
    const suggestions = await start("relay", { UPSTREAM: `${availability.url}/availability/common_availabilities?users=` });
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

/** What one side did in a round: wrk's numbers, and the CPU each server process spent per request (ms). */
type Side = WrkRun & { cpu_ms_per_request: Record<string, number> };

/** One round of one route: the real services and the floor under the same load, and real/floor. */
export type FloorRound = { route: Route; round: number; real: Side; floor: Side; ratio: number };

/** A route's ratios over the rounds: the median, and how far the farthest round lies from it (stable: ≤ 0.05). */
export type FloorVerdict = { route: Route; ratios: number[]; median: number; spread: number; stable: boolean };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * The closed-loop comparison with the floor, in one run: for each round and route, wrk against the real
 * services and against the floor, one after the other (which goes first alternates by round), same settings.
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
  say: (line: string) => void;
}): Promise<{ rounds: FloorRound[]; verdicts: FloorVerdict[] }> {
  const floor = await startFloor(options.cachePrefix);
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
        const measure = async (side: "real" | "floor"): Promise<Side> => {
          const watcher = watchProcesses(side === "real" ? realPids[route] : floor.pids[route]);
          const { output, ...result } = await runWrk({ ...options, route, baseUrl: side === "real" ? real[route] : floor.urls[route] });
          const usage = watcher.stop();
          if (result.errors || !Number.isFinite(result.requests_per_s)) {
            throw new Error(`wrk against the ${side} ${route} saw ${result.errors} failed answers:\n${output}`);
          }
          const perRequest = Object.entries(usage).map(([name, used]) => [name, (used.cpu_seconds * 1000) / result.requests]);
          return { ...result, cpu_ms_per_request: Object.fromEntries(perRequest) };
        };
        const order = round % 2 ? (["real", "floor"] as const) : (["floor", "real"] as const);
        const measured: Partial<Record<"real" | "floor", Side>> = {};
        for (const side of order) measured[side] = await measure(side);
        const { real: realRun, floor: floorRun } = measured as Record<"real" | "floor", Side>;
        const cpu = (run: Side) =>
          Object.entries(run.cpu_ms_per_request)
            .map(([name, ms]) => `${name} ${ms.toFixed(3)}`)
            .join(", ");
        const ratio = realRun.requests_per_s / floorRun.requests_per_s;
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
  const verdicts = ROUTES.map((route) => {
    const ratios = rounds.filter((r) => r.route === route).map((r) => r.ratio);
    const middle = median(ratios);
    const spread = Math.max(...ratios.map((ratio) => Math.abs(ratio - middle)));
    return { route, ratios, median: middle, spread, stable: spread <= 0.05 };
  });
  return { rounds, verdicts };
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
