import { createServiceClient, type Logger } from "@w2meet/kit";
import { createSql } from "@w2meet/kit/postgres";
import { retryDelays, type WorkerConfig } from "./config.ts";
import { createMailer } from "./invite/mail.ts";
import { createBroker } from "@w2meet/broker";
import { declareTopology, queueNames } from "./queue/topology.ts";

/** The clients of the worker, made from its settings; nothing connects to RabbitMQ until the broker starts. */
export function createWorkerClients(config: WorkerConfig, logger: Logger) {
  const names = queueNames(config.QUEUE_PREFIX);
  return {
    sql: createSql(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, timeoutMs: config.DATABASE_TIMEOUT_MS }),
    suggestions: createServiceClient({ name: "suggestions", baseUrl: config.SUGGESTIONS_URL, timeoutMs: config.SUGGESTIONS_TIMEOUT_MS }),
    users: createServiceClient({ name: "users", baseUrl: config.USERS_URL, timeoutMs: config.USERS_TIMEOUT_MS }),
    mailer: createMailer({ url: config.SMTP_URL, from: config.MAIL_FROM, timeoutMs: config.SMTP_TIMEOUT_MS }),
    broker: createBroker({ url: config.AMQP_URL, logger, declare: (channel) => declareTopology(channel, names, retryDelays(config)) }),
    names,
    logger,
  };
}
export type WorkerClients = ReturnType<typeof createWorkerClients>;
