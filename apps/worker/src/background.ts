import type { WorkerClients } from "./clients.ts";
import { recheckPerson } from "./changes/recheck.ts";
import { PERSON_CHANGES_PREFETCH, retryDelayMs, VERIFICATION_PREFETCH, type WorkerConfig } from "./config.ts";
import { createWorkerRelay } from "./outbox/relay.ts";
import { createConsumer, decodePersonChanged, decodeTaskMessage, decodeVerificationMessage } from "./queue/consumer.ts";
import { runTask } from "./tasks/run.ts";
import { sendVerificationMail } from "./verification/send.ts";

/**
 * Starts the worker's background half next to its HTTP API: the outbox relay, the task consumer, the
 * verification mail consumer and the person changes' consumer (each on its own queue and channel) on one
 * supervised RabbitMQ connection.
 * `stop` lets the deliveries under way finish (up to `timeoutMs`), then closes the channels and the connection.
 */
export async function startBackgroundWork(config: WorkerConfig, clients: WorkerClients) {
  const { sql, broker, names, logger, mailer } = clients;
  const runDeps = { sql, suggestions: clients.suggestions, users: clients.users, mailer, maxAttempts: config.MAX_ATTEMPTS };
  const retry = (attempt: number) => retryDelayMs(config, attempt);
  const consumers = [
    createConsumer({
      broker,
      lane: names,
      logger,
      label: "task",
      prefetch: config.PREFETCH,
      decode: decodeTaskMessage,
      fieldsOf: (message) => ({ task_id: message.task_id }),
      run: (message, caseId, log) => runTask(runDeps, message.task_id, caseId, log),
      retryDelayMs: retry,
    }),
    createConsumer({
      broker,
      lane: names.verification,
      logger,
      label: "verification mail",
      prefetch: VERIFICATION_PREFETCH,
      decode: decodeVerificationMessage,
      fieldsOf: (message) => ({ mail_id: message.mail_id }),
      run: (message, _caseId, log) => sendVerificationMail({ sql, mailer, maxAttempts: config.MAX_ATTEMPTS }, message.mail_id, log),
      retryDelayMs: retry,
    }),
    createConsumer({
      broker,
      lane: names.personChanges,
      logger,
      label: "person change",
      prefetch: PERSON_CHANGES_PREFETCH,
      decode: decodePersonChanged,
      fieldsOf: (message) => ({ person: message.email, version: message.version }),
      run: (message, caseId, log) => recheckPerson(runDeps, message, caseId, log),
      retryDelayMs: retry,
    }),
  ];
  const relay = createWorkerRelay({ sql, broker, names, pollMs: config.OUTBOX_POLL_MS, logger });
  await relay.start();
  broker.start();
  return {
    relay,
    async stop(timeoutMs: number): Promise<void> {
      await Promise.all(consumers.map((consumer) => consumer.stop(timeoutMs)));
      await relay.stop();
      await broker.close();
    },
  };
}
