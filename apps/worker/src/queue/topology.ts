import { AT_LEAST_ONCE_DEAD_LETTERING, assertEventsExchange } from "@w2meet/broker";
import { eventsExchange, PERSON_CHANGED_ROUTING_KEY } from "@w2meet/contracts";
import type { Channel } from "amqplib";

/** The routing key of task messages on the tasks exchange. */
export const TASK_ROUTING_KEY = "task";
/** The routing key of verification mail messages on the same exchange. */
export const VERIFICATION_ROUTING_KEY = "verification-mail";

// A message whose deliveries keep ending without an ack (its consumer crashed or lost the connection)
// is dead-lettered after this many; retries are new messages, so they do not count against it.
const DELIVERY_LIMIT = 10;

/** One kind of message's way through the broker: its queue, its delay queues and its dead letters. */
export type Lane = {
  /** Quorum queue the consumers read. */
  queue: string;
  /** Routing key that leads to it from the exchange. */
  routingKey: string;
  /** Fanout exchange the queue dead-letters to. */
  deadLetterExchange: string;
  /** Durable queue of dead-lettered messages: poison, or the last attempt of a failed one. */
  deadLetterQueue: string;
  /** Queue where a retried message waits `delayMs` before it goes back to the exchange. */
  retryQueue: (delayMs: number) => string;
};

/**
 * The names of the worker's exchanges and queues, all under one prefix so that runs can be kept apart.
 * Tasks and verification mails share the direct exchange and each have a lane of their own, so a
 * verification code never waits behind a backlog of tasks, and each kind's dead letters stay apart.
 * The people's changes the users service publishes come through the events exchange to a lane of theirs.
 */
export function queueNames(prefix: string) {
  return {
    prefix,
    /** Direct exchange the relay publishes every message to. */
    exchange: `${prefix}.tasks`,
    queue: `${prefix}.tasks`,
    routingKey: TASK_ROUTING_KEY,
    deadLetterExchange: `${prefix}.dlx`,
    deadLetterQueue: `${prefix}.tasks.dlq`,
    retryQueue: (delayMs: number) => `${prefix}.retry.${delayMs}`,
    verification: {
      queue: `${prefix}.verification-mails`,
      routingKey: VERIFICATION_ROUTING_KEY,
      deadLetterExchange: `${prefix}.verification-mails.dlx`,
      deadLetterQueue: `${prefix}.verification-mails.dlq`,
      retryQueue: (delayMs: number) => `${prefix}.verification-mails.retry.${delayMs}`,
    } satisfies Lane,
    /** Topic exchange of the W2Meet events (the users service publishes to it too). */
    eventsExchange: eventsExchange(prefix),
    personChanges: {
      queue: `${prefix}.person-changes`,
      routingKey: PERSON_CHANGED_ROUTING_KEY,
      deadLetterExchange: `${prefix}.person-changes.dlx`,
      deadLetterQueue: `${prefix}.person-changes.dlq`,
      retryQueue: (delayMs: number) => `${prefix}.person-changes.retry.${delayMs}`,
    } satisfies Lane,
  };
}
export type QueueNames = ReturnType<typeof queueNames>;

/**
 * Declares one lane: exchange → queue ─(rejected, delivery limit)→ its dlx → its dlq, and one delay
 * queue per retry delay whose expired messages go back to the exchange with the lane's routing key, or,
 * with `retryDirect`, straight to the lane's queue (through the default exchange): a topic exchange must
 * not hand a retry to every other subscriber of its key.
 */
async function declareLane(
  channel: Channel,
  exchange: string,
  lane: Lane,
  retryDelaysMs: readonly number[],
  retryDirect = false,
): Promise<void> {
  await channel.assertExchange(lane.deadLetterExchange, "fanout", { durable: true });
  await channel.assertQueue(lane.deadLetterQueue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(lane.deadLetterQueue, lane.deadLetterExchange, "");
  await channel.assertQueue(lane.queue, {
    durable: true,
    arguments: {
      "x-queue-type": "quorum",
      "x-delivery-limit": DELIVERY_LIMIT,
      "x-dead-letter-exchange": lane.deadLetterExchange,
      ...AT_LEAST_ONCE_DEAD_LETTERING,
    },
  });
  await channel.bindQueue(lane.queue, exchange, lane.routingKey);
  for (const delayMs of new Set(retryDelaysMs)) {
    await channel.assertQueue(lane.retryQueue(delayMs), {
      durable: true,
      arguments: {
        "x-queue-type": "quorum",
        // One delay per queue: messages expire in arrival order, so none waits behind a longer one.
        "x-message-ttl": delayMs,
        "x-dead-letter-exchange": retryDirect ? "" : exchange,
        "x-dead-letter-routing-key": retryDirect ? lane.queue : lane.routingKey,
        ...AT_LEAST_ONCE_DEAD_LETTERING,
      },
    });
  }
}

/** Declares the exchanges and the three lanes (idempotent; run after every reconnect). */
export async function declareTopology(channel: Channel, names: QueueNames, retryDelaysMs: readonly number[]): Promise<void> {
  await channel.assertExchange(names.exchange, "direct", { durable: true });
  await declareLane(channel, names.exchange, names, retryDelaysMs);
  await declareLane(channel, names.exchange, names.verification, retryDelaysMs);
  await assertEventsExchange(channel, names.prefix);
  await declareLane(channel, names.eventsExchange, names.personChanges, retryDelaysMs, true);
}
