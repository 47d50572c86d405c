import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, startService, uniquePrefix, type RunningService } from "@w2meet/testing";
import { SERVICE_RUNTIME_ENV } from "../scripts/runtime-env.ts";

const ROOT = join(import.meta.dir, "..");

/** The services a benchmark measures, each a native Bun process, and how to take it all down. */
export type NativeSystem = {
  users: RunningService;
  availability: RunningService;
  suggestions: RunningService;
  /** With request logs written: how many lines each service has written so far. */
  loggedLines: () => Promise<Record<string, number>>;
  stop: () => Promise<void>;
};

/** `warn`: the services build no request log line. `info` (their default): one line per request, written to a file. */
export type BenchLogLevel = "warn" | "info";

/** The `--log-level` flag of a benchmark command. */
export function benchLogLevel(flag: string | undefined): BenchLogLevel {
  if (flag === undefined || flag === "warn" || flag === "info") return flag ?? "warn";
  throw new Error(`--log-level is warn or info, not ${flag}`);
}

/** `loggedLines` as a sentence's end: "users 12, availability 3, …". */
export const describeLogged = (lines: Record<string, number>) =>
  Object.entries(lines)
    .map(([service, count]) => `${service} ${count}`)
    .join(", ");

/** How many lines a file holds; 0 when there is none. */
async function lineCount(path: string): Promise<number> {
  const file = Bun.file(path);
  if (!(await file.exists())) return 0;
  let lines = 0;
  for await (const chunk of file.stream()) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return lines;
}

/**
 * Starts users, availability and suggestions as `bun apps/<service>/src/index.ts` would run them, on free
 * ports, against the local Postgres and Redis: the users service gets a database of its own (dropped by
 * `stop`) and a cache prefix of its own, so a benchmark never touches another run's data. `extraEnv`
 * reaches every service, e.g. BUN_OPTIONS=--smol. At `logLevel` info each service writes its request log
 * to bench/results/logs/<run>/<service>.log, removed by `stop`.
 */
export async function startNativeSystem(
  run: string,
  extraEnv: Record<string, string> = {},
  options: { logLevel?: BenchLogLevel } = {},
): Promise<NativeSystem> {
  const logLevel = options.logLevel ?? "warn";
  const logDir = join(ROOT, "bench", "results", "logs", run);
  const logFile = (service: string) => join(logDir, `${service}.log`);
  const output = (service: string) => (logLevel === "warn" ? {} : { stdoutFile: logFile(service) });
  if (logLevel !== "warn") mkdirSync(logDir, { recursive: true });
  const database = await createTestDatabase("w2meet_bench");
  const started: RunningService[] = [];
  const stop = async () => {
    await Promise.all(started.map((service) => service.stop()));
    await database.drop();
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    const entry = (app: string) => join(ROOT, "apps", app, "src", "index.ts");
    const quiet = { ...SERVICE_RUNTIME_ENV, LOG_LEVEL: logLevel, ...extraEnv };
    // Its events exchange under a test prefix, where nothing of a development run would read them.
    const users = await startService(
      entry("users"),
      {
        ...quiet,
        DATABASE_URL: database.url,
        CACHE_PREFIX: `bench:${run}:`,
        QUEUE_PREFIX: uniquePrefix("bench"),
      },
      undefined,
      output("users"),
    );
    started.push(users);
    const availability = await startService(entry("availability"), { ...quiet, USERS_URL: users.url }, undefined, output("availability"));
    started.push(availability);
    const suggestions = await startService(
      entry("suggestions"),
      { ...quiet, AVAILABILITY_URL: availability.url },
      undefined,
      output("suggestions"),
    );
    started.push(suggestions);
    const services = ["users", "availability", "suggestions"];
    const loggedLines = async () =>
      Object.fromEntries(await Promise.all(services.map(async (service) => [service, await lineCount(logFile(service))] as const)));
    return { users, availability, suggestions, loggedLines, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
