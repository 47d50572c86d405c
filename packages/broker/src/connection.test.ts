import { capturedLogger, closedPortUrl, waitFor, openRabbit, TEST_AMQP_URL, uniquePrefix, type Rabbit } from "@w2meet/testing";
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Channel } from "amqplib";
import { createBroker } from "./connection.ts";

const prefix = uniquePrefix("broker");
// A topology of the test's own: one direct exchange and one queue behind its routing key.
const names = {
  exchange: `${prefix}.tasks`,
  queue: `${prefix}.tasks`,
  deadLetterExchange: `${prefix}.dlx`,
  deadLetterQueue: `${prefix}.dlq`,
};
const TASK_ROUTING_KEY = "task";
let rabbit: Rabbit;

beforeAll(async () => {
  rabbit = await openRabbit();
});

afterAll(async () => {
  await rabbit.removeTopology({ ...names, retryQueue: (delayMs) => `${prefix}.retry.${delayMs}` }, []);
  await rabbit.close();
});

async function declare(channel: Channel) {
  await channel.assertExchange(names.exchange, "direct", { durable: true });
  await channel.assertQueue(names.queue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(names.queue, names.exchange, TASK_ROUTING_KEY);
}

function brokerWithLogs(url: string) {
  const { logger, lines } = capturedLogger("broker-test", "debug");
  const broker = createBroker({ url, logger, declare });
  return { broker, lines };
}

test("declares its topology on connecting", async () => {
  const { broker } = brokerWithLogs(TEST_AMQP_URL);
  broker.start();
  try {
    await waitFor(() => broker.connected());
    expect((await rabbit.channel.checkQueue(names.queue)).queue).toBe(names.queue);
  } finally {
    await broker.close();
  }
});

test("rejects a mandatory message no queue takes, and confirms one a queue takes", async () => {
  const { broker } = brokerWithLogs(TEST_AMQP_URL);
  broker.start();
  try {
    await waitFor(() => broker.connected());
    const publish = (routingKey: string, messageId: string) =>
      broker.publish(names.exchange, routingKey, Buffer.from("{}"), { persistent: true, mandatory: true, messageId });
    await expect(publish("nobody-listens", "m-unroutable")).rejects.toThrow(/No queue is bound/);
    await publish(TASK_ROUTING_KEY, "m-routed");
    const [message] = await rabbit.takeAll(names.queue);
    expect(message?.properties.messageId).toBe("m-routed");
  } finally {
    await broker.close();
  }
});

test("publishes with a broker confirm, persistent, and the message id and case id it is given", async () => {
  const { broker } = brokerWithLogs(TEST_AMQP_URL);
  broker.start();
  try {
    await waitFor(() => broker.connected());
    await broker.publish(names.exchange, TASK_ROUTING_KEY, Buffer.from('{"task_id":"x"}'), {
      persistent: true,
      messageId: "m-1",
      headers: { "case-id": "case-c1" },
    });
    const [message] = await rabbit.takeAll(names.queue);
    expect(message?.properties).toMatchObject({ messageId: "m-1", deliveryMode: 2, headers: { "case-id": "case-c1" } });
  } finally {
    await broker.close();
  }
});

test("reconnects, declaring its topology again, after the broker closes its channel", async () => {
  const { broker, lines } = brokerWithLogs(TEST_AMQP_URL);
  broker.start();
  try {
    await waitFor(() => broker.connected());
    // Publishing to an exchange that does not exist makes the broker close the channel.
    await expect(broker.publish(`${names.exchange}.missing`, "x", Buffer.from("{}"), {})).rejects.toThrow();
    await waitFor(() => lines.filter((line) => line.msg === "rabbitmq connected").length === 2, { what: "a second connection" });
    await broker.publish(names.exchange, TASK_ROUTING_KEY, Buffer.from("{}"), { persistent: true });
    expect(await rabbit.takeAll(names.queue)).toHaveLength(1);
  } finally {
    await broker.close();
  }
});

test("keeps trying with growing delays while RabbitMQ cannot be reached, and says why", async () => {
  const { broker, lines } = brokerWithLogs(closedPortUrl("amqp"));
  broker.start();
  try {
    const retries = await waitFor(() => {
      const found = lines.filter((line) => line.msg === "rabbitmq unavailable, reconnecting");
      return found.length >= 3 ? found : null;
    });
    const delaysMs = retries.map((line) => Number(line.delay_ms));
    expect(delaysMs[2]!).toBeGreaterThan(delaysMs[0]!);
    await expect(broker.check()).rejects.toThrow(/not connected/);
    await expect(broker.publish(names.exchange, TASK_ROUTING_KEY, Buffer.from("{}"), {})).rejects.toThrow(/not connected/);
  } finally {
    await broker.close();
  }
});
