// Whether the test broker does what the tests ask of it: a quorum queue declared, a message published
// with a confirm, taken back and the queue deleted, all within a time limit.
// Usage: bun packages/testing/src/broker-check.ts   (exits 1, saying what failed, when it does not)
//
// A broker can take connections and answer the AMQP handshake yet hang on every quorum queue (its disk
// below the free-space limit, its quorum queue log unwritable), or refuse every quorum queue that
// dead-letters at least once, as the worker's do (its dead-letter workers' supervisor gone: RabbitMQ lets it
// die when such a queue is deleted while another connection is still declaring it): each worker test would
// then wait out its own timeout. This finds either in seconds.
import { AT_LEAST_ONCE_DEAD_LETTERING } from "@w2meet/broker";
import { withTimeout } from "@w2meet/kit";
import amqp, { type ChannelModel } from "amqplib";
import { TEST_TOPOLOGY_PREFIX } from "./rabbit.ts";
import { TEST_AMQP_URL } from "./servers.ts";

const CHECK_TIMEOUT_MS = 20_000;

/** A quorum queue that dead-letters at least once, as the worker's queues do (the exchange need not exist). */
const AS_THE_WORKER_DECLARES = {
  "x-queue-type": "quorum",
  "x-dead-letter-exchange": `${TEST_TOPOLOGY_PREFIX}broker-check.dlx`,
  ...AT_LEAST_ONCE_DEAD_LETTERING,
};

async function roundTrip(url: string, timeoutMs: number, done: { connection?: ChannelModel }): Promise<void> {
  const connection = await amqp.connect(url, { timeout: timeoutMs });
  done.connection = connection;
  // A broker that fails the declaration closes the connection with an error; the call under way then rejects.
  connection.on("error", () => undefined);
  const channel = await connection.createConfirmChannel();
  channel.on("error", () => undefined);
  const queue = `${TEST_TOPOLOGY_PREFIX}broker-check-${crypto.randomUUID().slice(0, 8)}`;
  await channel.assertQueue(queue, { durable: true, arguments: AS_THE_WORKER_DECLARES });
  try {
    const sent = crypto.randomUUID();
    channel.sendToQueue(queue, Buffer.from(sent), { persistent: true });
    await channel.waitForConfirms();
    // A quorum queue's message is ready once confirmed, but a get may still race its delivery: ask again.
    for (let attempt = 0; ; attempt++) {
      const message = await channel.get(queue, { noAck: true });
      if (message && message.content.toString() === sent) break;
      if (message) throw new Error(`the queue gave back a message that was not sent: ${message.content.toString()}`);
      if (attempt === 50) throw new Error("a confirmed message never came back from the queue");
      await Bun.sleep(20);
    }
  } finally {
    await channel.deleteQueue(queue);
  }
}

/**
 * Resolves when the broker at `url` round-trips a message through a quorum queue within `timeoutMs`;
 * rejects saying what failed (or that it did not answer in time) otherwise.
 */
export async function checkBroker(url = TEST_AMQP_URL, timeoutMs = CHECK_TIMEOUT_MS): Promise<void> {
  const done: { connection?: ChannelModel } = {};
  try {
    await withTimeout(roundTrip(url, timeoutMs, done), timeoutMs, `no answer within ${timeoutMs} ms`);
  } finally {
    // A hung broker may never answer the close either: do not wait for it.
    void done.connection?.close().catch(() => undefined);
  }
}

/** Checks the test broker and says how it went, in one line: whether it passed. */
export async function reportBroker(): Promise<boolean> {
  try {
    await checkBroker();
    console.log("broker: a quorum queue round-trips a message");
    return true;
  } catch (error) {
    console.error(
      `RabbitMQ at ${TEST_AMQP_URL} does not round-trip a message through a quorum queue: ${error instanceof Error ? error.message : error}. ` +
        "Check `rabbitmq-diagnostics alarms` (disk and memory) and `rabbitmq-diagnostics status` (file descriptors); " +
        "if `rabbitmqctl eval 'whereis(rabbit_fifo_dlx_sup).'` says undefined, restart the broker.",
    );
    return false;
  }
}

if (import.meta.main) process.exit((await reportBroker()) ? 0 : 1);
