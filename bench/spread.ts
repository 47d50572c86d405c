// `bun bench/spread.ts`: how the kit's service client spreads calls over replicas. Starts users and three
// availability replicas on 127.0.0.2, .3 and .4 (one port, HOST set), makes calls to common availability
// through the client with a resolver naming the three for a made-up host (native processes have no
// Docker DNS), stops the middle replica part-way (SIGTERM, or a crash with --signal=SIGKILL), and prints
// the calls each replica answered (its /metrics) and how many calls failed.
// Flags: --calls=6000 --concurrency=32 --users=50 --signal=SIGTERM.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createRelayingClient } from "@w2meet/kit/relay";
import { createTestDatabase, freePort, startService, type RunningService } from "@w2meet/testing";
import { SERVICE_RUNTIME_ENV } from "../scripts/runtime-env.ts";
import { benchEmail, seedUsers } from "./seed.ts";

const { values: flags } = parseArgs({
  options: {
    calls: { type: "string", default: "6000" },
    concurrency: { type: "string", default: "32" },
    users: { type: "string", default: "50" },
    signal: { type: "string", default: "SIGTERM" },
  },
});
const calls = Number(flags.calls);
const concurrency = Number(flags.concurrency);
const userCount = Number(flags.users);
const signal = flags.signal as "SIGTERM" | "SIGKILL";
if (signal !== "SIGTERM" && signal !== "SIGKILL") throw new Error("--signal is SIGTERM or SIGKILL");
const REPLICAS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];
const ROOT = join(import.meta.dir, "..");
const entry = (app: string) => join(ROOT, "apps", app, "src", "index.ts");
const quiet = { ...SERVICE_RUNTIME_ENV, LOG_LEVEL: "warn" };
const prefix = "spread-";

/** Requests a replica has answered on its common availability route, from its own metrics. */
const answered = async (replica: RunningService) => {
  const metrics = await (await fetch(`${replica.url}/metrics`)).text();
  return metrics
    .split("\n")
    .filter((line) => line.startsWith("http_requests_total{") && line.includes("common_availabilities"))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
};

const database = await createTestDatabase("w2meet_bench");
const started: RunningService[] = [];
try {
  const users = await startService(entry("users"), { ...quiet, DATABASE_URL: database.url, CACHE_PREFIX: `spread:${Date.now()}:` });
  started.push(users);
  await seedUsers(users.url, { count: userCount, prefix });
  const port = freePort();
  const replicas = await Promise.all(
    REPLICAS.map((HOST) => startService(entry("availability"), { ...quiet, HOST, USERS_URL: users.url }, port)),
  );
  started.push(...replicas);
  const client = createRelayingClient({ name: "availability", baseUrl: `http://availability.test:${port}`, resolve: async () => REPLICAS });

  let failed = 0;
  let sent = 0;
  const stopAt = Math.floor(calls / 2);
  const countsAtStop: number[] = [];
  const worker = async () => {
    while (sent < calls) {
      const index = sent++;
      if (index === stopAt) {
        countsAtStop.push(...(await Promise.all(replicas.map(answered))));
        // SIGTERM lets the replica finish what it has; SIGKILL drops its connections with calls on them.
        if (signal === "SIGKILL") replicas[1]!.process.kill("SIGKILL");
        else void replicas[1]!.stop();
      }
      const a = benchEmail(prefix, index % userCount);
      const b = benchEmail(prefix, (index + 1) % userCount);
      const answer = await client.get(`/availability/common_availabilities?users=${a},${b}`, `spread-${index}`).catch(() => undefined);
      if (!answer?.ok) failed++;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - startedAt) / 1000;
  const live = [replicas[0]!, replicas[2]!];
  const [first, third] = await Promise.all(live.map(answered));
  console.log(
    `${calls} calls, ${concurrency} at a time, in ${seconds.toFixed(1)} s (${Math.round(calls / seconds)} calls/s), ${failed} failed`,
  );
  console.log(`first half, three replicas: ${REPLICAS.map((address, i) => `${address} ${countsAtStop[i]}`).join(", ")}`);
  console.log(
    `second half, ${REPLICAS[1]} stopped by ${signal}: ${REPLICAS[0]} ${first! - countsAtStop[0]!}, ${REPLICAS[2]} ${third! - countsAtStop[2]!}`,
  );
} finally {
  await Promise.all(started.map((service) => service.stop().catch(() => {})));
  await database.drop();
}
