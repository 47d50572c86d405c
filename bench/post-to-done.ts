// `bun bench/post-to-done.ts [tasks]`: the time from POST /tasks to `done` on an idle machine.
// Starts users, availability, suggestions and the worker as native processes (own databases, queue
// prefix), registers two people, then posts the tasks one after another (notify false) and polls each
// until it is done. Prints the median and spread as the client saw them and as Postgres stamped them.
import { createTestDatabase, removeWorkerTopology, startService, TEST_AMQP_URL, TEST_TOPOLOGY_PREFIX, waitFor } from "@w2meet/testing";
import type { Task, TaskAccepted } from "@w2meet/contracts";
import { startNativeSystem } from "./native.ts";
import { WORKER_RUNTIME_ENV } from "../scripts/runtime-env.ts";
import { retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";

const count = Number(process.argv[2] ?? 20);
const run = crypto.randomUUID().slice(0, 8);
const prefix = `${TEST_TOPOLOGY_PREFIX}bench-${run}`;
const amqpUrl = TEST_AMQP_URL;
const say = (line: string) => process.stdout.write(`${line}\n`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p).toFixed(1);
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, min ${at(0)} ms, max ${at(1)} ms`;
};

const system = await startNativeSystem(run);
const database = await createTestDatabase("w2meet_bench_worker");
const worker = await startService(new URL("../apps/worker/src/index.ts", import.meta.url).pathname, {
  ...WORKER_RUNTIME_ENV,
  DATABASE_URL: database.url,
  AMQP_URL: amqpUrl,
  QUEUE_PREFIX: prefix,
  SUGGESTIONS_URL: system.suggestions.url,
  LOG_LEVEL: "warn",
});
try {
  for (const email of ["ada@bench.test", "grace@bench.test"]) {
    const response = await fetch(`${system.users.url}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, name: email, availabilities: { monday: [9, 10, 11], wednesday: [14, 15] } }),
    });
    if (response.status !== 201) throw new Error(`registering ${email} answered ${response.status}`);
  }

  const oneTask = async () => {
    const started = performance.now();
    const response = await fetch(`${worker.url}/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ users: ["ada@bench.test", "grace@bench.test"], notify: false }),
    });
    const { task_id } = (await response.json()) as TaskAccepted;
    const task = await waitFor(
      async () => {
        const current = (await (await fetch(`${worker.url}/tasks/${task_id}`)).json()) as Task;
        return current.status === "done" ? current : null;
      },
      { intervalMs: 5, timeoutMs: 10_000, what: `task ${task_id}` },
    );
    return { client: performance.now() - started, server: Date.parse(task.updated_at) - Date.parse(task.created_at) };
  };

  for (let i = 0; i < 3; i++) await oneTask();
  const client: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < count; i++) {
    const measured = await oneTask();
    client.push(measured.client);
    server.push(measured.server);
  }
  say(`${count} tasks, one at a time, notify false`);
  say(`client (POST sent → GET answers done, polling every 5 ms): ${summary(client)}`);
  say(`server (created_at → updated_at of done, Postgres clock):  ${summary(server)}`);
} finally {
  await worker.stop();
  await system.stop();
  await database.drop();
  await removeWorkerTopology(queueNames(prefix), retryDelays({ RETRY_BASE_MS: 5000, MAX_ATTEMPTS: 5 }));
}
