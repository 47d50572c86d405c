import { join } from "node:path";
import { createTestDatabase, startService, uniquePrefix, type RunningService } from "@w2meet/testing";
import { SERVICE_RUNTIME_ENV } from "../scripts/runtime-env.ts";

const ROOT = join(import.meta.dir, "..");

/** The services a benchmark measures, each a native Bun process, and how to take it all down. */
export type NativeSystem = {
  users: RunningService;
  availability: RunningService;
  suggestions: RunningService;
  stop: () => Promise<void>;
};

/**
 * Starts users, availability and suggestions as `bun apps/<service>/src/index.ts` would run them, on free
 * ports, against the local Postgres and Redis: the users service gets a database of its own (dropped by
 * `stop`) and a cache prefix of its own, so a benchmark never touches another run's data. `extraEnv`
 * reaches every service, e.g. BUN_OPTIONS=--smol.
 */
export async function startNativeSystem(run: string, extraEnv: Record<string, string> = {}): Promise<NativeSystem> {
  const database = await createTestDatabase("w2meet_bench");
  const started: RunningService[] = [];
  const stop = async () => {
    await Promise.all(started.map((service) => service.stop()));
    await database.drop();
  };
  try {
    const entry = (app: string) => join(ROOT, "apps", app, "src", "index.ts");
    const quiet = { ...SERVICE_RUNTIME_ENV, LOG_LEVEL: "warn", ...extraEnv };
    // Its events exchange under a test prefix, where nothing of a development run would read them.
    const users = await startService(entry("users"), {
      ...quiet,
      DATABASE_URL: database.url,
      CACHE_PREFIX: `bench:${run}:`,
      QUEUE_PREFIX: uniquePrefix("bench"),
    });
    started.push(users);
    const availability = await startService(entry("availability"), { ...quiet, USERS_URL: users.url });
    started.push(availability);
    const suggestions = await startService(entry("suggestions"), { ...quiet, AVAILABILITY_URL: availability.url });
    started.push(suggestions);
    return { users, availability, suggestions, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
