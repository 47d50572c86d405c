import amqp, { type GetMessage } from "amqplib";
import { TEST_AMQP_URL } from "./servers.ts";

/** One lane of the worker's topology: a queue, its delay queues and its dead letters. */
type Lane = { queue: string; deadLetterExchange: string; deadLetterQueue: string; retryQueue: (delayMs: number) => string };

/**
 * The worker's exchange and queue names of one prefix, as its topology names them: the tasks' lane, the
 * verification mails' and the person changes' (from the events exchange).
 */
type QueueNames = Lane & { exchange: string; verification?: Lane; personChanges?: Lane; eventsExchange?: string };

/** How every queue and exchange a test or benchmark run declares begins, so leftovers can be swept. */
export const TEST_TOPOLOGY_PREFIX = "w2meet-test-";

/** A queue prefix of its own for one test file, so runs never read each other's messages. */
export const uniquePrefix = (what: string) => `${TEST_TOPOLOGY_PREFIX}${what}-${crypto.randomUUID().slice(0, 8)}`;

/** A plain connection to the test broker, to publish poison, read the dead-letter queue and clean up. */
export async function openRabbit() {
  const connection = await amqp.connect(TEST_AMQP_URL);
  const channel = await connection.createConfirmChannel();
  return {
    channel,
    /** Takes every message now in `queue` off it. */
    async takeAll(queue: string): Promise<GetMessage[]> {
      const taken: GetMessage[] = [];
      for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) {
        taken.push(message);
      }
      return taken;
    },
    /** Messages ready in `queue` (not counting those delivered and unacked). */
    async depth(queue: string): Promise<number> {
      return (await channel.checkQueue(queue)).messageCount;
    },
    async publish(exchange: string, routingKey: string, content: Buffer, headers: Record<string, string> = {}) {
      channel.publish(exchange, routingKey, content, { persistent: true, headers });
      await channel.waitForConfirms();
    },
    /** Deletes the exchanges and queues of a test prefix. */
    async removeTopology(names: QueueNames, retryDelaysMs: readonly number[]) {
      for (const lane of [names, names.verification, names.personChanges].filter((lane) => lane !== undefined)) {
        for (const queue of [lane.queue, lane.deadLetterQueue, ...new Set(retryDelaysMs.map(lane.retryQueue))]) {
          await channel.deleteQueue(queue).catch(() => undefined);
        }
        await channel.deleteExchange(lane.deadLetterExchange).catch(() => undefined);
      }
      await channel.deleteExchange(names.exchange).catch(() => undefined);
      if (names.eventsExchange) await channel.deleteExchange(names.eventsExchange).catch(() => undefined);
    },
    close: () => connection.close().catch(() => undefined),
  };
}
export type Rabbit = Awaited<ReturnType<typeof openRabbit>>;

/**
 * Deletes a worker's exchanges and queues (as its topology names them for one prefix), so that tests and
 * benchmarks that start worker processes leave no queues behind: quorum queues keep files open in the
 * broker, and enough of them exhaust its file descriptors.
 */
export async function removeWorkerTopology(names: QueueNames, retryDelaysMs: readonly number[]): Promise<void> {
  const rabbit = await openRabbit();
  try {
    await rabbit.removeTopology(names, retryDelaysMs);
  } finally {
    await rabbit.close();
  }
}
