// The users service's events: a person.changed row written in the same transaction as the change (and only
// for changes of when a person can meet), gone with a write that rolls back, and published by the relay
// once the write's cache update has settled. Against real Postgres, Redis and RabbitMQ.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createBroker } from "@w2meet/broker";
import { eventsExchange, PERSON_CHANGED_ROUTING_KEY, PersonChanged } from "@w2meet/contracts";
import { createLogger } from "@w2meet/kit";
import { dateOf, localDay } from "@w2meet/schedule";
import { jsonRequest, openRabbit, TEST_AMQP_URL, uniquePrefix as uniqueQueuePrefix, waitFor, type Rabbit } from "@w2meet/testing";
import { Value } from "@sinclair/typebox/value";
import { clearCache, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";
import { createEventRelay } from "./relay.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let users: ReturnType<typeof usersApp>;
const prefix = uniquePrefix();
const ADA = "ada@example.com";

beforeAll(async () => {
  db = await usersDatabase();
  users = usersApp({ sql: db.sql, prefix });
  await users.cacheReady();
});
afterAll(async () => {
  await clearCache(users.redis, prefix);
  await users.close();
  await db.close();
});
beforeEach(async () => {
  await db.sql`delete from users`;
  await db.sql`delete from users_outbox`;
});

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await users.app.handle(jsonRequest(method, path, body, headers));
  return { status: response.status, body: await response.text() };
};
const register = () => call("POST", "/users", { email: ADA, name: "Ada", availabilities: { monday: [9, 10] } });
const replace = (changes: object, headers?: Record<string, string>) =>
  call("PUT", `/users/${ADA}`, { name: "Ada", availabilities: { monday: [9, 10] }, preference: "first", ...changes }, headers);
const outbox = () =>
  db.sql<{ email: string; version: string; case_id: string; message: PersonChanged }[]>`
    select email, version::text as version, case_id, message from users_outbox order by id`;
const versionOf = async () => (await db.sql`select version::text as version from users where email = ${ADA}`)[0]!.version as string;

describe("the person.changed outbox", () => {
  test("records a change of the week with the write: the person's new version, the request's case id, a valid event", async () => {
    await register();
    expect(await outbox()).toHaveLength(0);
    expect((await replace({ availabilities: { monday: [9, 10, 11] } }, { "case-id": "case-week-1" })).status).toBe(200);
    const [row, ...rest] = await outbox();
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ email: ADA, version: await versionOf(), case_id: "case-week-1" });
    expect(Value.Check(PersonChanged, row!.message)).toBe(true);
    expect(row!.message).toMatchObject({ email: ADA, version: await versionOf() });
  });

  test("records a change of the if-needed week or the time zone, and nothing for a name or preference", async () => {
    await register();
    await replace({ name: "Countess", preference: "last" });
    expect(await outbox()).toHaveLength(0);
    await replace({ if_needed: { friday: [16] } });
    await replace({ if_needed: { friday: [16] }, time_zone: "Europe/London" });
    expect(await outbox()).toHaveLength(2);
  });

  test("records setting and removing a dated exception, and deleting the person", async () => {
    await register();
    const date = dateOf(localDay("UTC", Date.now()) + 3);
    expect((await call("PUT", `/users/${ADA}/dates/${date}`, { available: [] })).status).toBe(200);
    expect((await call("DELETE", `/users/${ADA}/dates/${date}`)).status).toBe(204);
    const before = await versionOf();
    expect((await call("DELETE", `/users/${ADA}`)).status).toBe(204);
    const rows = await outbox();
    expect(rows).toHaveLength(3);
    expect(BigInt(rows[2]!.version)).toBeGreaterThan(BigInt(before));
  });

  test("leaves nothing, and the person unchanged, when the write's transaction fails after the event was recorded", async () => {
    await register();
    await db.sql.unsafe(`
      create function refuse_event() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$;
      create trigger refuse_event before insert on users_outbox for each row execute function refuse_event();`);
    try {
      const failed = await replace({ availabilities: { tuesday: [14] } });
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.sql.unsafe("drop trigger refuse_event on users_outbox; drop function refuse_event();");
    }
    expect(await outbox()).toHaveLength(0);
    const [user] = await db.sql`select availabilities from users where email = ${ADA}`;
    expect(user!.availabilities).toMatchObject({ monday: [9, 10], tuesday: [] });
  });
});

describe("the event relay", () => {
  const queuePrefix = uniqueQueuePrefix("users-events");
  const queue = `${queuePrefix}.person-changes`;
  const logger = createLogger({ service: "users", level: "error" });
  let rabbit: Rabbit;

  beforeAll(async () => {
    rabbit = await openRabbit();
    await rabbit.channel.assertExchange(eventsExchange(queuePrefix), "topic", { durable: true });
    await rabbit.channel.assertQueue(queue, { durable: true, arguments: { "x-queue-type": "quorum" } });
    await rabbit.channel.bindQueue(queue, eventsExchange(queuePrefix), PERSON_CHANGED_ROUTING_KEY);
  });
  afterAll(async () => {
    await rabbit.channel.deleteQueue(queue);
    await rabbit.channel.deleteExchange(eventsExchange(queuePrefix));
    await rabbit.close();
  });

  test("publishes an event once the write's cache update has settled, not while it is pending", async () => {
    await register();
    await replace({ availabilities: { monday: [15] } }, { "case-id": "case-relay-1" });
    const version = await versionOf();
    // As if the write had committed and not yet put its new state into Redis.
    await db.sql`insert into cache_invalidations (email, version) values (${ADA}, ${version})`;
    const broker = createBroker({ url: TEST_AMQP_URL, logger, declare: async () => {} });
    const relay = createEventRelay({ sql: db.sql, broker, prefix: queuePrefix, pollMs: 50, logger });
    await relay.start();
    broker.start();
    try {
      await waitFor(() => broker.connected());
      await relay.wake();
      expect(await rabbit.depth(queue)).toBe(0);
      await db.sql`delete from cache_invalidations where email = ${ADA}`;
      await waitFor(async () => (await rabbit.depth(queue)) === 1, { what: "the event to be published" });
      const [message] = await rabbit.takeAll(queue);
      expect(JSON.parse(message!.content.toString())).toMatchObject({ email: ADA, version });
      expect(message!.properties).toMatchObject({ messageId: `person-changed.${version}`, headers: { "case-id": "case-relay-1" } });
      const [row] = await db.sql`select sent_at from users_outbox`;
      expect(row!.sent_at).toBeInstanceOf(Date);
    } finally {
      await relay.stop();
      await broker.close();
    }
  });
});
