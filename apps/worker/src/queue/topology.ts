import type { Channel } from "amqplib";

/** The routing key of task messages on the tasks exchange. */
export const TASK_ROUTING_KEY = "task";

// A message whose deliveries keep ending without an ack (its consumer crashed or lost the connection)
// is dead-lettered after this many; retries are new messages, so they do not count against it.
const DELIVERY_LIMIT = 10;

/** The names of the worker's exchanges and queues, all under one prefix so that runs can be kept apart. */
export function queueNames(prefix: string) {
  return {
    /** Direct exchange the relay publishes task messages to. */
    exchange: `${prefix}.tasks`,
    /** Quorum queue the consumers read. */
    queue: `${prefix}.tasks`,
    /** Fanout exchange the tasks queue dead-letters to. */
    deadLetterExchange: `${prefix}.dlx`,
    /** Durable queue of dead-lettered task messages: poison, or the last attempt of a failed task. */
    deadLetterQueue: `${prefix}.tasks.dlq`,
    /** Queue where a retried message waits `delayMs` before it goes back to the tasks exchange. */
    retryQueue: (delayMs: number) => `${prefix}.retry.${delayMs}`,
  };
}
export type QueueNames = ReturnType<typeof queueNames>;

// Quorum queues dead-letter at least once (the broker keeps the message until the target confirms),
// which requires rejecting publishes rather than dropping the head when a queue is full.
const atLeastOnceDeadLettering = { "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish" };

/**
 * Declares the exchanges, queues and bindings (idempotent; run after every reconnect):
 * tasks exchange → tasks queue ─(rejected, delivery limit)→ dlx → dlq, and one delay queue per retry
 * delay whose expired messages go back to the tasks exchange.
 */
export async function declareTopology(channel: Channel, names: QueueNames, retryDelaysMs: readonly number[]): Promise<void> {
  await channel.assertExchange(names.exchange, "direct", { durable: true });
  await channel.assertExchange(names.deadLetterExchange, "fanout", { durable: true });
  await channel.assertQueue(names.deadLetterQueue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, "");
  await channel.assertQueue(names.queue, {
    durable: true,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": DELIVERY_LIMIT,
      "x-dead-letter-exchange": names.deadLetterExchange,
      ...atLeastOnceDeadLettering,
    },
  });
  await channel.bindQueue(names.queue, names.exchange, TASK_ROUTING_KEY);
  for (const delayMs of new Set(retryDelaysMs)) {
    await channel.assertQueue(names.retryQueue(delayMs), {
      durable: true,
      arguments: {
        "x-queue-type": "quorum",
        // One delay per queue: messages expire in arrival order, so none waits behind a longer one.
        "x-message-ttl": delayMs,
        "x-dead-letter-exchange": names.exchange,
        "x-dead-letter-routing-key": TASK_ROUTING_KEY,
        ...atLeastOnceDeadLettering,
      },
    });
  }
}
