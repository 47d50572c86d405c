import { createLogger } from "@w2meet/kit";
import { closedPortUrl, waitFor, openRabbit, TEST_AMQP_URL, uniquePrefix, type Rabbit } from "@w2meet/testing";
import { databaseDeadline } from "@w2meet/kit/postgres";
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { createWorkerDatabase, type WorkerDatabase } from "../../test/database.ts";
import { createBroker } from "@w2meet/broker";
import { declareTopology, queueNames } from "../queue/topology.ts";
import { createTask } from "../tasks/service.ts";
import { acceptVerificationMail } from "../verification/service.ts";
import { createWorkerRelay } from "./relay.ts";

const logger = createLogger({ service: "worker", level: "error" });
const names = queueNames(uniquePrefix("relay"));
const delays = [1000];
let db: WorkerDatabase;
let rabbit: Rabbit;
const running: { stop: () => Promise<void> }[] = [];

beforeAll(async () => {
  db = await createWorkerDatabase();
  rabbit = await openRabbit();
});

afterEach(async () => {
  for (const relay of running.splice(0)) await relay.stop();
  await rabbit.channel.purgeQueue(names.queue).catch(() => undefined);
  await rabbit.channel.purgeQueue(names.verification.queue).catch(() => undefined);
  await db.sql`truncate tasks, verification_mails cascade`;
});

afterAll(async () => {
  await rabbit.removeTopology(names, delays);
  await rabbit.close();
  await db.drop();
});

/** A relay on its own broker connection, like one worker replica's. */
async function startRelay(options: { url?: string; pollMs?: number } = {}) {
  const broker = createBroker({ url: options.url ?? TEST_AMQP_URL, logger, declare: (channel) => declareTopology(channel, names, delays) });
  const relay = createWorkerRelay({ sql: db.sql, broker, names, pollMs: options.pollMs ?? 50, logger });
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

const acceptTasks = (count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      createTask(
        { sql: db.sql, inTime: databaseDeadline("worker database", 5000) },
        { users: [`a${i}@example.com`, `b${i}@example.com`] },
        { organizer: null, caseId: `case-${i}`, apiBase: "" },
      ),
    ),
  );

const unsent = async () => (await db.sql`select count(*)::int as n from outbox where sent_at is null`)[0]!.n as number;

test("publishes every row exactly once while several relays run at once", async () => {
  await acceptTasks(300);
  await Promise.all([startRelay(), startRelay(), startRelay()]);
  await waitFor(async () => (await unsent()) === 0, { what: "the outbox to drain" });
  await waitFor(async () => (await rabbit.depth(names.queue)) === 300, { what: "300 messages" });
  const messages = await rabbit.takeAll(names.queue);
  expect(new Set(messages.map((message) => message.properties.messageId)).size).toBe(300);
  for (const message of messages) {
    expect(JSON.parse(message.content.toString())).toEqual({ task_id: message.properties.messageId });
    expect(message.properties.deliveryMode).toBe(2);
    expect(String(message.properties.headers?.["case-id"])).toMatch(/^case-\d+$/);
  }
});

test("wakes on the commit's notification rather than waiting for its poll", async () => {
  const { broker } = await startRelay({ pollMs: 60_000 });
  await waitFor(() => broker.connected());
  await waitFor(async () => (await unsent()) === 0);
  const [accepted] = await acceptTasks(1);
  await waitFor(async () => (await unsent()) === 0, { timeoutMs: 3000, what: "the notified relay to publish" });
  const [message] = await rabbit.takeAll(names.queue);
  expect(message?.properties.messageId).toBe(accepted!.task_id);
});

test("leaves rows unsent while RabbitMQ cannot be reached, and a relay that can reach it publishes them", async () => {
  const cut = await startRelay({ url: closedPortUrl("amqp") });
  await acceptTasks(3);
  await cut.relay.wake();
  expect(await unsent()).toBe(3);
  expect(cut.broker.connected()).toBe(false);
  await startRelay();
  await waitFor(async () => (await unsent()) === 0, { what: "the reachable relay to publish" });
  await waitFor(async () => (await rabbit.depth(names.queue)) === 3);
});

test("publishes a verification mail's message to the verification mails' queue, and a task's to the tasks'", async () => {
  const deps = { sql: db.sql, inTime: databaseDeadline("worker database", 5000) };
  const mail = { email: "ada@example.com", code: "123456", expires_at: new Date(Date.now() + 600_000).toISOString() };
  const accepted = await acceptVerificationMail(deps, mail, { caseId: "case-mail", idempotencyKey: "relay-mail-1" });
  const [task] = await acceptTasks(1);
  await startRelay();
  await waitFor(async () => (await unsent()) === 0, { what: "the outbox to drain" });
  await waitFor(async () => (await rabbit.depth(names.verification.queue)) === 1 && (await rabbit.depth(names.queue)) === 1);
  const [message] = await rabbit.takeAll(names.verification.queue);
  expect(JSON.parse(message!.content.toString())).toEqual({ mail_id: accepted.mail_id });
  expect(message!.properties.messageId).toBe(accepted.mail_id);
  expect(String(message!.properties.headers?.["case-id"])).toBe("case-mail");
  const [taskMessage] = await rabbit.takeAll(names.queue);
  expect(taskMessage!.properties.messageId).toBe(task!.task_id);
});
