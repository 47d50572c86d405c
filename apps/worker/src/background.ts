import type { WorkerClients } from "./clients.ts";
import { retryDelayMs, type WorkerConfig } from "./config.ts";
import { createOutboxRelay } from "./outbox/relay.ts";
import { createTaskConsumer } from "./queue/consumer.ts";
import { runTask } from "./tasks/run.ts";

/**
 * Starts the worker's background half next to its HTTP API: the outbox relay and the task consumer on
 * one supervised RabbitMQ connection. `stop` lets the deliveries under way finish (up to `timeoutMs`),
 * then closes the channels and the connection.
 */
export async function startBackgroundWork(config: WorkerConfig, clients: WorkerClients) {
  const { sql, broker, names, logger } = clients;
  const runDeps = { sql, suggestions: clients.suggestions, mailer: clients.mailer, maxAttempts: config.MAX_ATTEMPTS };
  const consumer = createTaskConsumer({
    broker,
    names,
    logger,
    prefetch: config.PREFETCH,
    run: (taskId, caseId, log) => runTask(runDeps, taskId, caseId, log),
    retryDelayMs: (attempt) => retryDelayMs(config, attempt),
  });
  const relay = createOutboxRelay({ sql, broker, names, pollMs: config.OUTBOX_POLL_MS, logger });
  await relay.start();
  broker.start();
  return {
    relay,
    async stop(timeoutMs: number): Promise<void> {
      await consumer.stop(timeoutMs);
      await relay.stop();
      await broker.close();
    },
  };
}
