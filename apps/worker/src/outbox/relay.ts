import { createOutboxRelay } from "@w2meet/broker";
import type { Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import type { Broker } from "@w2meet/broker";
import type { QueueNames } from "../queue/topology.ts";

/** The channel the outbox trigger notifies on commit. */
const OUTBOX_CHANNEL = "worker_outbox";

// A row carries a task's message or a verification mail's: `task_id` or `verification_id` is set.
type WorkerOutboxRow = { id: string; task_id: string | null; verification_id: string | null; case_id: string; message: unknown };

/**
 * Publishes the worker's outbox: a task's message with the tasks' routing key, a verification mail's
 * with theirs, to the one exchange, each with its task or mail id as the message id.
 */
export function createWorkerRelay(deps: { sql: Sql; broker: Broker; names: QueueNames; pollMs: number; logger: Logger }) {
  const { names } = deps;
  return createOutboxRelay<WorkerOutboxRow>({
    ...deps,
    table: "outbox",
    channel: OUTBOX_CHANNEL,
    publicationOf: (row) =>
      row.task_id
        ? {
            exchange: names.exchange,
            routingKey: names.routingKey,
            body: row.message,
            messageId: row.task_id,
            label: "task message",
            fields: { task_id: row.task_id },
          }
        : {
            exchange: names.exchange,
            routingKey: names.verification.routingKey,
            body: row.message,
            messageId: row.verification_id!,
            label: "verification mail message",
            fields: { mail_id: row.verification_id },
          },
  });
}
