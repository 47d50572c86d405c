import type { Health, Task, TaskAccepted } from "@w2meet/contracts";
import { createLogger } from "@w2meet/kit";
import { closedPortUrl, jsonRequest, waitFor, bodyOf, openRabbit, startTestIssuer, TEST_AMQP_URL, uniquePrefix } from "@w2meet/testing";
import { buildWorkerApp } from "../src/app.ts";
import { startBackgroundWork } from "../src/background.ts";
import { createWorkerClients } from "../src/clients.ts";
import { loadWorkerConfig, retryDelays } from "../src/config.ts";
import { createWorkerDatabase } from "./database.ts";
import { startSuggestionsStub } from "./suggestions-stub.ts";
import { startUsersStub } from "./users-stub.ts";

/**
 * The whole worker (HTTP API, relay and consumer) in the test process, against real Postgres and
 * RabbitMQ, its log lines kept for assertions. `env` overrides the settings.
 */
async function startWorkerInProcess(env: Record<string, string>) {
  const lines: string[] = [];
  const config = loadWorkerConfig({
    AMQP_URL: TEST_AMQP_URL,
    RETRY_BASE_MS: "50",
    OUTBOX_POLL_MS: "100",
    LOG_LEVEL: "debug",
    ...env,
  });
  const logger = createLogger({ service: "worker", level: config.LOG_LEVEL, sink: (line) => lines.push(line) });
  const clients = createWorkerClients(config, logger);
  const background = await startBackgroundWork(config, clients);
  const app = buildWorkerApp(config, clients);
  return {
    config,
    clients,
    names: clients.names,
    retryDelays: retryDelays(config),
    /** Log lines written so far, parsed. */
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    post: async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await app.handle(jsonRequest("POST", "/tasks", body, headers));
      if (response.status !== 202) throw new Error(`POST /tasks answered ${response.status}: ${await response.text()}`);
      return bodyOf<TaskAccepted>(response);
    },
    /** Any request to the worker's HTTP side. */
    handle: (request: Request) => app.handle(request),
    get: (path: string) => app.handle(jsonRequest("GET", path)),
    task: async (taskId: string) => bodyOf<Task>(await app.handle(jsonRequest("GET", `/tasks/${taskId}`))),
    health: async () => bodyOf<Health>(await app.handle(jsonRequest("GET", "/health"))),
    /** Polls the task until its status is `status`, then answers it. */
    async waitForStatus(taskId: string, status: string, timeoutMs = 15_000) {
      return waitFor(
        async () => {
          const task = await bodyOf<Task>(await app.handle(jsonRequest("GET", `/tasks/${taskId}`)));
          return task.status === status ? task : null;
        },
        { timeoutMs, what: `task ${taskId} to be ${status}` },
      );
    },
    connected: () => clients.broker.connected(),
    async stop() {
      await background.stop(2000);
      clients.mailer.close();
      await clients.sql.end({ timeout: 1 });
    },
  };
}
export type InProcessWorker = Awaited<ReturnType<typeof startWorkerInProcess>>;

/**
 * A worker in this process with everything of its own: database, queue prefix, suggestions stub, and a
 * stand-in users service (the keys of its tokens, and its address check: everyone verified unless told);
 * SMTP at `smtpUrl` (a closed port by default). `tearDown` removes it all.
 */
export async function startIsolatedWorker(
  options: { suggestionsUrl?: string; usersUrl?: string; smtpUrl?: string; env?: Record<string, string> } = {},
) {
  const db = await createWorkerDatabase();
  const stub = startSuggestionsStub();
  const users = startUsersStub();
  const issuer = await startTestIssuer();
  const rabbit = await openRabbit();
  const worker = await startWorkerInProcess({
    DATABASE_URL: db.url,
    QUEUE_PREFIX: uniquePrefix("flow"),
    SUGGESTIONS_URL: options.suggestionsUrl ?? stub.url,
    USERS_URL: options.usersUrl ?? users.url,
    JWKS_URL: issuer.jwksUrl,
    SMTP_URL: options.smtpUrl ?? closedPortUrl("smtp"),
    ...options.env,
  });
  await waitFor(() => worker.connected(), { what: "the worker to connect to RabbitMQ" });
  return {
    db,
    stub,
    users,
    issuer,
    rabbit,
    worker,
    /** An Authorization header with a token for `email` (a person's, unless a role is given). */
    bearer: async (email = "organizer@example.com", role?: "admin" | "service") => ({
      authorization: `Bearer ${await issuer.token(email, role ? { role } : {})}`,
    }),
    async tearDown() {
      await worker.stop();
      await rabbit.removeTopology(worker.names, worker.retryDelays);
      await rabbit.close();
      stub.stop();
      await users.stop();
      await issuer.stop();
      await db.drop();
    },
  };
}
export type IsolatedWorker = Awaited<ReturnType<typeof startIsolatedWorker>>;
