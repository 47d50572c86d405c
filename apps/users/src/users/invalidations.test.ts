import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { jsonRequest, startTcpProxy, TEST_REDIS_URL, waitFor } from "@w2meet/testing";
import { dateOf, localDay } from "@w2meet/schedule";
import { ada, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
beforeAll(async () => {
  db = await usersDatabase();
});
afterAll(async () => {
  await db.close();
});

type Users = ReturnType<typeof usersApp>;
const call = async (users: Users, method: string, path: string, body?: unknown) => {
  const response = await users.app.handle(jsonRequest(method, path, body));
  const text = await response.text();
  return { status: response.status, cache: response.headers.get("x-cache"), body: text ? JSON.parse(text) : undefined };
};
const monday = { name: "Ada", availabilities: { monday: [9] }, preference: "first" };
const friday = { name: "Ada", availabilities: { friday: [15] }, preference: "first" };
const week = (users: Users, email = "ada@example.com") => call(users, "GET", `/users/${email}/availability`);
const group = (users: Users) => call(users, "GET", "/users/availability?users=ada@example.com,grace@example.com");

/** Two replicas sharing one Redis that a test can black-hole (a partition: Redis keeps its data). */
async function replicasBehindOneRedis() {
  const proxy = startTcpProxy(TEST_REDIS_URL);
  const prefix = uniquePrefix();
  const one = usersApp({ sql: db.sql, prefix, redisUrl: proxy.url });
  const two = usersApp({ sql: db.sql, prefix, redisUrl: proxy.url });
  await Promise.all([one.cacheReady(), two.cacheReady()]);
  return {
    proxy,
    one,
    two,
    close: async () => {
      await Promise.all([one.close(), two.close()]);
      proxy.stop();
      await db.sql`delete from users`;
      await db.sql`delete from cache_invalidations`;
    },
  };
}

describe("a write made while Redis is partitioned away", () => {
  test("is never answered with the week Redis kept, by the replica that wrote or another, once the partition heals", async () => {
    const { proxy, one, two, close } = await replicasBehindOneRedis();
    try {
      await call(one, "POST", "/users", { ...ada, ...monday });
      await call(one, "POST", "/users", { ...ada, email: "grace@example.com" });
      expect(await week(two)).toMatchObject({ cache: "HIT", body: { availabilities: { monday: [9] } } });
      expect((await group(two)).body.users[0].availabilities.monday).toEqual([9]);

      proxy.blackhole();
      const put = await call(one, "PUT", "/users/ada@example.com", friday);
      expect(put.status).toBe(200);
      proxy.heal();
      await waitFor(() => one.redis.connected && two.redis.connected, { what: "both replicas to reconnect" });

      // Every read from here on, from either replica, sees Friday: first from Postgres, then from Redis again.
      for (const users of [one, two, one, two]) {
        const read = await week(users);
        expect(read.body.availabilities).toMatchObject({ monday: [], friday: [15] });
        expect((await group(users)).body.users[0].availabilities).toMatchObject({ monday: [], friday: [15] });
      }
      await Promise.all([one.cacheReady(), two.cacheReady()]);
      for (const users of [one, two]) expect(await week(users)).toMatchObject({ cache: "HIT", body: { availabilities: { friday: [15] } } });
      // The replayed invalidation is gone: nothing is left to replay.
      expect(await db.sql`select * from cache_invalidations`).toHaveLength(0);
    } finally {
      await close();
    }
  });

  test("a delete made in the partition is not undone by the entry Redis kept", async () => {
    const { proxy, one, two, close } = await replicasBehindOneRedis();
    try {
      await call(one, "POST", "/users", { ...ada, ...monday });
      expect((await week(two)).cache).toBe("HIT");

      proxy.blackhole();
      expect((await call(one, "DELETE", "/users/ada@example.com")).status).toBe(204);
      proxy.heal();
      await waitFor(() => one.redis.connected && two.redis.connected, { what: "both replicas to reconnect" });

      for (const users of [two, one]) expect((await week(users)).status).toBe(404);
      await Promise.all([one.cacheReady(), two.cacheReady()]);
      for (const users of [two, one]) expect((await week(users)).status).toBe(404);
    } finally {
      await close();
    }
  });

  test("a dated exception set in the partition is never answered without it, and is served from Redis once replayed", async () => {
    const { proxy, one, two, close } = await replicasBehindOneRedis();
    const date = dateOf(localDay("UTC", Date.now()) + 3);
    try {
      await call(one, "POST", "/users", { ...ada, ...monday });
      const before = await week(two);
      expect(before.cache).toBe("HIT");
      expect(before.body.dates).toBeUndefined();

      proxy.blackhole();
      expect((await call(one, "PUT", `/users/ada@example.com/dates/${date}`, { available: [] })).status).toBe(200);
      proxy.heal();
      await waitFor(() => one.redis.connected && two.redis.connected, { what: "both replicas to reconnect" });

      const away = [{ date, available: [], if_needed: [] }];
      for (const users of [two, one]) expect((await week(users)).body.dates).toEqual(away);
      await Promise.all([one.cacheReady(), two.cacheReady()]);
      for (const users of [two, one]) expect(await week(users)).toMatchObject({ cache: "HIT", body: { dates: away } });
      expect(await db.sql`select * from cache_invalidations`).toHaveLength(0);
    } finally {
      await close();
    }
  });

  test("a replica that reaches Redis applies another replica's missed write as soon as it is told", async () => {
    const proxy = startTcpProxy(TEST_REDIS_URL);
    const prefix = uniquePrefix();
    const cutOff = usersApp({ sql: db.sql, prefix, redisUrl: proxy.url });
    const connected = usersApp({ sql: db.sql, prefix });
    await Promise.all([cutOff.cacheReady(), connected.cacheReady()]);
    try {
      await call(cutOff, "POST", "/users", { ...ada, ...monday });
      expect((await week(connected)).cache).toBe("HIT");

      proxy.blackhole();
      expect((await call(cutOff, "PUT", "/users/ada@example.com", friday)).status).toBe(200);
      // Redis itself is fine: the connected replica replays the write into it, and Redis serves Friday again.
      await waitFor(
        async () => {
          const read = await week(connected);
          return read.cache === "HIT" && read.body.availabilities.friday[0] === 15;
        },
        { what: "the connected replica to replay the write" },
      );
      proxy.heal();
      expect((await week(cutOff)).body.availabilities.friday).toEqual([15]);
    } finally {
      await Promise.all([cutOff.close(), connected.close()]);
      proxy.stop();
      await db.sql`delete from users`;
    }
  });

  test("a write whose process stopped before its cache update is replayed on the next start", async () => {
    const prefix = uniquePrefix();
    const before = usersApp({ sql: db.sql, prefix });
    await before.cacheReady();
    await call(before, "POST", "/users", { ...ada, ...monday });
    expect((await week(before)).cache).toBe("HIT");
    await before.close();
    // What a write leaves when the process dies between its commit and Redis: the new row and its invalidation.
    const [row] = await db.sql<{ version: string }[]>`
      update users set availabilities = ${db.sql.json({ friday: [15] })}, version = nextval('user_version_seq')
      where email = 'ada@example.com' returning version::text`;
    await db.sql`insert into cache_invalidations (email, version) values ('ada@example.com', ${row!.version})`;

    const after = usersApp({ sql: db.sql, prefix });
    try {
      await waitFor(() => after.redis.connected, { what: "redis" });
      expect((await week(after)).body.availabilities.friday).toEqual([15]);
      await after.cacheReady();
      expect(await week(after)).toMatchObject({ cache: "HIT", body: { availabilities: { monday: [], friday: [15] } } });
    } finally {
      await after.close();
      await db.sql`delete from users`;
    }
  });
});
