import { generateKeyPairSync } from "node:crypto";
import { createLogger, type Logger } from "@w2meet/kit";
import { migrate } from "@w2meet/kit/migrations";
import { eventsExchange } from "@w2meet/contracts";
import {
  closedPortUrl,
  createTestDatabase,
  jsonRequest,
  openRabbit,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  uniquePrefix as uniqueQueuePrefix,
  waitFor,
} from "@w2meet/testing";
import postgres from "postgres";
import { buildUsersApp } from "../src/app.ts";
import { createUsersClients } from "../src/clients.ts";
import { loadUsersConfig } from "../src/config.ts";
import type { Redis } from "../src/clients.ts";

const MIGRATIONS = new URL("../migrations", import.meta.url).pathname;

/** A migrated database of its own for one test file, with a counter of the queries sent to it. */
export async function usersDatabase() {
  const database = await createTestDatabase("w2meet_users_test");
  const counter = { queries: 0 };
  const sql = postgres(database.url, { max: 5, onnotice: () => {}, debug: () => void counter.queries++ });
  await migrate(sql, { service: "users", dir: MIGRATIONS });
  return {
    url: database.url,
    sql,
    counter,
    close: async () => {
      await sql.end();
      await database.drop();
    },
  };
}

/** A new Ed25519 private key as the JWK JSON JWT_PRIVATE_KEY takes. */
export function newSigningKey(kid = `test-${crypto.randomUUID().slice(0, 8)}`) {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = { ...privateKey.export({ format: "jwk" }), kid };
  return { jwk, json: JSON.stringify(jwk), privateKey, kid };
}

/** The key the apps of a test file sign with unless told otherwise: no development key is written while testing. */
export const testSigningKey = newSigningKey();

/**
 * A users app over the given clients; each file uses its own cache prefix. It signs with
 * `testSigningKey`, and reaches no worker (a closed port) unless `env` says otherwise. Its invalidation ledger is
 * started, and its broker connects to the test RabbitMQ under a queue prefix of its own (no relay runs: events
 * stay in the outbox); `cacheReady()` waits until the app serves from its cache, `brokerReady()` until RabbitMQ
 * is connected, `close()` stops it and removes its exchange.
 */
export function usersApp(options: {
  sql: postgres.Sql;
  redisUrl?: string;
  prefix: string;
  logger?: Logger;
  redis?: Redis;
  env?: Record<string, string>;
}) {
  const logger = options.logger ?? createLogger({ service: "users", level: "error" });
  const config = loadUsersConfig({
    CACHE_PREFIX: options.prefix,
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    JWT_PRIVATE_KEY: testSigningKey.json,
    ADMIN_EMAILS: admin.email,
    WORKER_URL: closedPortUrl("http"),
    AMQP_URL: TEST_AMQP_URL,
    QUEUE_PREFIX: uniqueQueuePrefix("users"),
    ...options.env,
  });
  const clients = createUsersClients(config, logger, { sql: options.sql, redis: options.redis });
  const started = clients.ledger.start();
  clients.broker.start();
  return {
    app: buildUsersApp(config, clients),
    redis: clients.redis,
    ledger: clients.ledger,
    cacheReady: () => waitFor(() => clients.ledger.trusted, { what: "the cache to be trusted" }),
    brokerReady: () => waitFor(() => clients.broker.connected(), { what: "RabbitMQ to be connected" }),
    close: async () => {
      await started;
      await clients.ledger.stop();
      await clients.broker.close();
      clients.redis.close();
      const rabbit = await openRabbit();
      await rabbit.channel.deleteExchange(eventsExchange(config.QUEUE_PREFIX)).catch(() => undefined);
      await rabbit.close();
    },
  };
}

/** The admin every test app knows (ADMIN_EMAILS), once registered with this password. */
export const admin = { email: "admin@example.com", name: "Admin", password: "admin password 1" } as const;

type App = ReturnType<typeof usersApp>["app"];

/** A token from the app's own login; throws unless it answers 200. */
export async function login(app: App, email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await app.handle(jsonRequest("POST", "/auth/token", { email, password }, headers));
  if (response.status !== 200) throw new Error(`login of ${email} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Registers the admin (if not yet) and logs in as them: a token with the admin role. */
export async function adminToken(app: App): Promise<string> {
  await app.handle(jsonRequest("POST", "/users", admin));
  return login(app, admin.email, admin.password);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const uniquePrefix = () => `test:${crypto.randomUUID().slice(0, 8)}:`;

export const ada = {
  email: "Ada@Example.com",
  name: "Ada Lovelace",
  availabilities: { monday: [11, 9, 10, 9], tuesday: [14] },
  preference: "last",
} as const;

/** Removes this test file's cache entries (and nobody else's). */
export async function clearCache(redis: Redis, prefix: string) {
  let cursor = "0";
  do {
    const [next, keys] = (await redis.client.send("SCAN", [cursor, "MATCH", `${prefix}*`, "COUNT", "1000"])) as [string, string[]];
    if (keys.length) await redis.client.send("DEL", keys);
    cursor = next;
  } while (cursor !== "0");
}
