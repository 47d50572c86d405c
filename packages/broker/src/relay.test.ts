import { createLogger } from "@w2meet/kit";
import { createSql, type Sql } from "@w2meet/kit/postgres";
import { closedPortUrl, createTestDatabase, openRabbit, TEST_AMQP_URL, uniquePrefix, waitFor, type Rabbit } from "@w2meet/testing";
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import type { Channel } from "amqplib";
import { createBroker } from "./connection.ts";
import { createOutboxRelay, type OutboxRow } from "./relay.ts";

const logger = createLogger({ service: "broker-test", level: "error" });
const prefix = uniquePrefix("relay");
const names = {
  exchange: `${prefix}.things`,
  queue: `${prefix}.things`,
  deadLetterExchange: `${prefix}.dlx`,
  deadLetterQueue: `${prefix}.dlq`,
};
const CHANNEL = "things_outbox";
let database: { url: string; drop: () => Promise<void> };
let sql: Sql;
let rabbit: Rabbit;
const running: { stop: () => Promise<void> }[] = [];

type ThingRow = OutboxRow & { thing: string; message: unknown };

beforeAll(async () => {
  database = await createTestDatabase("w2meet_broker_test");
  sql = createSql(database.url, { max: 8 });
  // The shape every outbox has (id, case_id, sent_at) and its owner's columns, with the trigger that wakes relays.
  await sql.unsafe(`
    create table things_outbox (
      id bigint generated always as identity primary key, thing text not null, case_id text not null,
      message jsonb not null, created_at timestamptz not null default now(), sent_at timestamptz);
    create function things_notify() returns trigger language plpgsql as $$
    begin perform pg_notify('${CHANNEL}', ''); return null; end $$;
    create trigger things_inserted after insert on things_outbox for each statement execute function things_notify();`);
  rabbit = await openRabbit();
});

afterEach(async () => {
  for (const relay of running.splice(0)) await relay.stop();
  await rabbit.channel.purgeQueue(names.queue).catch(() => undefined);
  await sql`truncate things_outbox`;
});

afterAll(async () => {
  await rabbit.removeTopology({ ...names, retryQueue: (delayMs) => `${prefix}.retry.${delayMs}` }, []);
  await rabbit.close();
  await sql.end({ timeout: 1 });
  await database.drop();
});

async function declare(channel: Channel) {
  await channel.assertExchange(names.exchange, "direct", { durable: true });
  await channel.assertQueue(names.queue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await channel.bindQueue(names.queue, names.exchange, "thing");
}

/** A relay on its own broker connection, like one replica's. */
async function startRelay(options: { url?: string; pollMs?: number; routingKey?: string } = {}) {
  const broker = createBroker({ url: options.url ?? TEST_AMQP_URL, logger, declare });
  const relay = createOutboxRelay<ThingRow>({
    sql,
    broker,
    table: "things_outbox",
    channel: CHANNEL,
    pollMs: options.pollMs ?? 50,
    logger,
    publicationOf: (row) => ({
      exchange: names.exchange,
      routingKey: options.routingKey ?? "thing",
      body: row.message,
      messageId: row.thing,
      mandatory: true,
    }),
  });
  await relay.start();
  broker.start();
  running.push({
    stop: async () => {
      await relay.stop();
      await broker.close();
    },
  });
  return { relay, broker };
}

const addThings = (count: number) =>
  sql`insert into things_outbox ${sql(
    Array.from({ length: count }, (_, i) => ({ thing: `thing-${i}`, case_id: `case-${i}`, message: sql.json({ n: i }) })),
  )}`;

const unsent = async () => (await sql`select count(*)::int as n from things_outbox where sent_at is null`)[0]!.n as number;

test("publishes every row exactly once while several relays run at once", async () => {
  await addThings(300);
  await Promise.all([startRelay(), startRelay(), startRelay()]);
  await waitFor(async () => (await unsent()) === 0, { what: "the outbox to drain" });
  await waitFor(async () => (await rabbit.depth(names.queue)) === 300, { what: "300 messages" });
  const messages = await rabbit.takeAll(names.queue);
  expect(new Set(messages.map((message) => message.properties.messageId)).size).toBe(300);
  for (const message of messages) {
    const n = Number(String(message.properties.messageId).slice("thing-".length));
    expect(JSON.parse(message.content.toString())).toEqual({ n });
    expect(message.properties.deliveryMode).toBe(2);
    expect(String(message.properties.headers?.["case-id"])).toBe(`case-${n}`);
  }
});

test("wakes on the commit's notification rather than waiting for its poll", async () => {
  const { broker } = await startRelay({ pollMs: 60_000 });
  await waitFor(() => broker.connected());
  await addThings(1);
  await waitFor(async () => (await unsent()) === 0, { timeoutMs: 3000, what: "the notified relay to publish" });
  const [message] = await rabbit.takeAll(names.queue);
  expect(message?.properties.messageId).toBe("thing-0");
});

test("leaves rows unsent while RabbitMQ cannot be reached, and a relay that can reach it publishes them", async () => {
  const cut = await startRelay({ url: closedPortUrl("amqp") });
  await addThings(3);
  await cut.relay.wake();
  expect(await unsent()).toBe(3);
  expect(cut.broker.connected()).toBe(false);
  await startRelay();
  await waitFor(async () => (await unsent()) === 0, { what: "the reachable relay to publish" });
  await waitFor(async () => (await rabbit.depth(names.queue)) === 3);
});

test("leaves a mandatory row unsent while no queue takes it", async () => {
  const { broker, relay } = await startRelay({ routingKey: "unbound", pollMs: 60_000 });
  await waitFor(() => broker.connected());
  await addThings(2);
  await relay.wake();
  expect(await unsent()).toBe(2);
});
