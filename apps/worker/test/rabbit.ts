import amqp, { type GetMessage } from "amqplib";
import type { QueueNames } from "../src/queue/topology.ts";

export const TEST_AMQP_URL = process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";

/** A queue prefix of its own for one test file, so runs never read each other's messages. */
export const uniquePrefix = (what: string) => `w2meet-test-${what}-${crypto.randomUUID().slice(0, 8)}`;

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
      for (const queue of [names.queue, names.deadLetterQueue, ...new Set(retryDelaysMs.map(names.retryQueue))]) {
        await channel.deleteQueue(queue).catch(() => undefined);
      }
      await channel.deleteExchange(names.exchange).catch(() => undefined);
      await channel.deleteExchange(names.deadLetterExchange).catch(() => undefined);
    },
    close: () => connection.close().catch(() => undefined),
  };
}
export type Rabbit = Awaited<ReturnType<typeof openRabbit>>;
