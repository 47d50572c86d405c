import { capturedLogger } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closedPortUrl, jsonRequest, startTcpProxy, TEST_REDIS_URL, waitFor } from "@w2meet/testing";
import { createSql } from "@w2meet/kit/postgres";
import { ada, adminToken, bearer, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
beforeAll(async () => {
  db = await usersDatabase();
});
afterAll(async () => {
  await db.close();
});

type App = ReturnType<typeof usersApp>["app"];
const call = async (app: App, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const response = await app.handle(jsonRequest(method, path, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};

describe("two replicas sharing Redis", () => {
  test("a write through one replica is seen by the next read through the other", async () => {
    const prefix = uniquePrefix();
    const one = usersApp({ sql: db.sql, prefix });
    const two = usersApp({ sql: db.sql, prefix });
    await Promise.all([one.cacheReady(), two.cacheReady()]);
    try {
      await call(one.app, "POST", "/users", ada);
      const cached = await call(two.app, "GET", "/users/ada@example.com/availability");
      expect(cached.headers.get("x-cache")).toBe("HIT");
      expect(cached.body.preference).toBe("last");

      await call(one.app, "PUT", "/users/ada@example.com", { name: "Ada", availabilities: { sunday: [20] }, preference: "first" });
      const after = await call(two.app, "GET", "/users/ada@example.com/availability");
      expect(after.body.preference).toBe("first");
      expect(after.body.availabilities.sunday).toEqual([20]);
      const group = await call(two.app, "GET", "/users/availability?users=ada@example.com,bob@example.com");
      expect(group.body.users[0].availabilities.sunday).toEqual([20]);

      await call(one.app, "DELETE", "/users/ada@example.com");
      expect((await call(two.app, "GET", "/users/ada@example.com/availability")).status).toBe(404);
      expect((await call(two.app, "GET", "/users/availability?users=ada@example.com,bob@example.com")).body.missing).toEqual([
        "ada@example.com",
        "bob@example.com",
      ]);

      await call(one.app, "POST", "/users", { ...ada, preference: "random" });
      expect((await call(two.app, "GET", "/users/ada@example.com/availability")).body.preference).toBe("random");
    } finally {
      await db.sql`delete from users`;
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe("Redis unreachable", () => {
  test("reads and writes still work from Postgres and health is degraded", async () => {
    const { logger, lines } = capturedLogger("users", "debug");
    const { app, close } = usersApp({ sql: db.sql, prefix: uniquePrefix(), redisUrl: closedPortUrl("redis"), logger });
    try {
      expect((await call(app, "POST", "/users", { ...ada, email: "offline@example.com" })).status).toBe(201);
      const read = await call(app, "GET", "/users/offline@example.com/availability");
      expect(read.status).toBe(200);
      expect(read.headers.get("x-cache")).toBe("MISS");
      expect((await call(app, "GET", "/users/availability?users=offline@example.com,x@example.com")).body.users).toHaveLength(1);
      const put = await call(app, "PUT", "/users/offline@example.com", { name: "Off", availabilities: {}, preference: "last" });
      expect(put.status).toBe(200);
      expect((await call(app, "DELETE", "/users/offline@example.com")).status).toBe(204);

      const health = await call(app, "GET", "/health");
      expect(health.status).toBe(200);
      expect(health.body.status).toBe("degraded");
      expect(health.body.dependencies.redis.status).toBe("down");
      expect(lines.some((line) => line.msg === "cache unavailable")).toBe(true);
    } finally {
      await close();
    }
  });
});

describe("Postgres unreachable", () => {
  test("answers 503 problem details within 2 seconds and health is unhealthy", async () => {
    const sql = createSql(closedPortUrl("postgres", "/w2meet"));
    const { app, close } = usersApp({ sql, prefix: uniquePrefix() });
    try {
      const started = performance.now();
      const read = await call(app, "GET", "/users/ada@example.com");
      expect(performance.now() - started).toBeLessThan(2000);
      expect(read.status).toBe(503);
      expect(read.headers.get("content-type")).toBe("application/problem+json");
      expect(read.body.detail).not.toContain("ECONNREFUSED");
      expect((await call(app, "POST", "/users", ada)).status).toBe(503);

      const health = await call(app, "GET", "/health");
      expect(health.status).toBe(503);
      expect(health.body.status).toBe("unhealthy");
      expect(health.body.dependencies.postgres.status).toBe("down");
    } finally {
      await close();
      await sql.end({ timeout: 0 });
    }
  });
});

describe("Redis lost and back", () => {
  test("falls back to Postgres while Redis is away and serves cache hits again once it returns", async () => {
    const proxy = startTcpProxy(TEST_REDIS_URL);
    const { app, redis, cacheReady, brokerReady, close } = usersApp({ sql: db.sql, prefix: uniquePrefix(), redisUrl: proxy.url });
    try {
      await Promise.all([cacheReady(), brokerReady()]);
      await call(app, "POST", "/users", { ...ada, email: "flaky@example.com" });
      expect((await call(app, "GET", "/users/flaky@example.com/availability")).headers.get("x-cache")).toBe("HIT");

      proxy.cut();
      await waitFor(() => !redis.connected, { what: "the connection to drop" });
      const away = await call(app, "GET", "/users/flaky@example.com/availability");
      expect(away.status).toBe(200);
      expect(away.headers.get("x-cache")).toBe("MISS");
      expect((await call(app, "GET", "/health")).body.status).toBe("degraded");

      proxy.restore();
      await waitFor(() => redis.connected, { what: "the client to reconnect" });
      await cacheReady();
      await call(app, "GET", "/users/flaky@example.com/availability");
      expect((await call(app, "GET", "/users/flaky@example.com/availability")).headers.get("x-cache")).toBe("HIT");
      expect((await call(app, "GET", "/health")).body.status).toBe("healthy");
    } finally {
      await db.sql`delete from users`;
      await close();
      proxy.stop();
    }
  });
});

describe("Redis silent (connections open, nothing flows)", () => {
  test("cache reads are answered from Postgres once Redis has answered nothing for 250 ms; once it answers again, hits return", async () => {
    const proxy = startTcpProxy(TEST_REDIS_URL);
    const { app, cacheReady, brokerReady, close } = usersApp({ sql: db.sql, prefix: uniquePrefix(), redisUrl: proxy.url });
    try {
      await Promise.all([cacheReady(), brokerReady()]);
      await call(app, "POST", "/users", { ...ada, email: "hushed@example.com" });
      await call(app, "POST", "/users", { ...ada, email: "muted@example.com" });
      expect((await call(app, "GET", "/users/hushed@example.com/availability")).headers.get("x-cache")).toBe("HIT");

      proxy.blackhole();
      const answers = await Promise.all(
        ["/users/hushed@example.com/availability", "/users/availability?users=hushed@example.com,muted@example.com"].map(async (path) => {
          const started = performance.now();
          return { ...(await call(app, "GET", path)), ms: performance.now() - started };
        }),
      );
      const [single, group] = answers;
      expect(single).toMatchObject({ status: 200, body: { email: "hushed@example.com" } });
      expect(single!.headers.get("x-cache")).toBe("MISS");
      expect(group!.status).toBe(200);
      expect(group!.body.users.map((user: { email: string }) => user.email)).toEqual(["hushed@example.com", "muted@example.com"]);
      expect((await call(app, "GET", "/health")).body.dependencies.redis.status).toBe("down");
      // The connection is dropped once Redis has answered nothing for 250 ms (it is asked every 50 ms), which
      // fails the cache's commands; then Postgres answers.
      for (const answer of answers) {
        expect(answer.ms).toBeGreaterThanOrEqual(190);
        expect(answer.ms).toBeLessThan(1000);
      }

      proxy.heal();
      await waitFor(async () => (await call(app, "GET", "/users/hushed@example.com/availability")).headers.get("x-cache") === "HIT", {
        what: "cache hits once Redis answers again",
      });
    } finally {
      await db.sql`delete from users`;
      await close();
      proxy.stop();
    }
  });
});

describe("Postgres silent (connections open, nothing flows)", () => {
  test("every route that needs Postgres answers 503 naming the database within its deadline, and works again once it is back", async () => {
    const proxy = startTcpProxy(db.url);
    const throughProxy = new URL(db.url);
    throughProxy.port = new URL(proxy.url).port;
    const sql = createSql(throughProxy.toString(), { max: 4, timeoutMs: 300 });
    const users = usersApp({ sql, prefix: uniquePrefix(), env: { DATABASE_TIMEOUT_MS: "300" } });
    const { app } = users;
    try {
      await users.cacheReady();
      expect((await call(app, "POST", "/users", { ...ada, email: "quiet@example.com" })).status).toBe(201);
      const asAdmin = bearer(await adminToken(app));
      proxy.blackhole();
      const requests: [string, string, unknown?, Record<string, string>?][] = [
        ["GET", "/users/quiet@example.com"],
        ["GET", "/users?limit=5", undefined, asAdmin],
        ["GET", "/users/nobody@example.com/availability"],
        ["GET", "/users/availability?users=quiet@example.com,nobody@example.com"],
        ["POST", "/users", { ...ada, email: "new@example.com" }],
        ["PUT", "/users/quiet@example.com", { name: "Q", availabilities: {}, preference: "last" }],
        ["DELETE", "/users/quiet@example.com"],
        ["GET", "/users/addresses?users=quiet@example.com,nobody@example.com"],
        ["POST", "/auth/token", { email: "quiet@example.com", password: "a password" }],
        ["POST", "/auth/verify-email", { email: "quiet@example.com" }],
        ["POST", "/auth/verify-email/confirm", { email: "quiet@example.com", code: "123456" }],
      ];
      // More requests than the pool has connections: the ones waiting for a connection are bounded too.
      const answers = await Promise.all(
        [...requests, ...requests].map(async ([method, path, body, headers]) => {
          const started = performance.now();
          const answer = await call(app, method, path, body, headers);
          return { ...answer, ms: performance.now() - started, route: `${method} ${path}` };
        }),
      );
      for (const answer of answers) {
        expect({ route: answer.route, status: answer.status }).toEqual({ route: answer.route, status: 503 });
        expect(answer.headers.get("content-type")).toBe("application/problem+json");
        expect(answer.body.detail).toContain("users database");
        expect(answer.ms).toBeLessThan(1500);
      }
      const health = await call(app, "GET", "/health");
      expect(health.status).toBe(503);

      proxy.heal();
      await waitFor(async () => (await call(app, "GET", "/users/quiet@example.com")).status === 200, { what: "Postgres to answer again" });
      // None of the writes answered 503 was made later, once Postgres could be reached again.
      expect((await call(app, "GET", "/users/quiet@example.com")).body.name).toBe(ada.name);
      expect((await call(app, "GET", "/users/new@example.com")).status).toBe(404);
    } finally {
      await users.close();
      // Gracefully, and before the proxy goes: destroying a connection still setting itself up after the
      // heal (postgres.js fetches array types on connect) rejects that internal query with no handler.
      await sql.end({ timeout: 5 });
      proxy.stop();
      await db.sql`delete from users`;
    }
  }, 20_000);
});
