import { assertEventsExchange, createBroker } from "@w2meet/broker";
import { createServiceClient, errorFields, type Logger } from "@w2meet/kit";
import { createSql, databaseDeadline, type Sql } from "@w2meet/kit/postgres";
import { RedisClient } from "bun";
import { loadSigningKeys } from "./auth/keys.ts";
import { prepareDummyHash } from "./auth/passwords.ts";
import { createLoginThrottle } from "./auth/throttle.ts";
import type { TokenIssuer } from "./auth/tokens.ts";
import type { UsersConfig } from "./config.ts";
import { createAvailabilityCache } from "./users/cache.ts";
import { createInvalidationLedger } from "./users/invalidations.ts";

/** A Redis connection that keeps itself connected; `close()` ends it for good. */
export type Redis = { readonly client: RedisClient; readonly connected: boolean; close(): void };

/** Redis may answer nothing for this long before its connection is dropped as stalled. */
const REDIS_STALL_MS = 250;
/** How often a connected client asks Redis whether it still answers. */
const STALL_CHECK_MS = 50;

/**
 * A Redis connection that never blocks a request: commands fail at once while it is disconnected (no
 * offline queue), and it reconnects in the background with backoff, from the first failed connect on.
 *
 * A connection that stays open but answers nothing (a host gone without a reset, a Redis stopped) is
 * found by a `PING` every 50 ms: one unanswered after `REDIS_STALL_MS` drops the connection, which
 * fails every command waiting on it (the cache then reads Postgres), and it is reconnected like any lost
 * one. Redis answers a connection's commands in order, so an answered `PING` means every command sent
 * before it was answered too: no command waits more than ~`REDIS_STALL_MS + 50` ms, with no timer per
 * command (one per cache read cost a cache hit ~8 % more CPU, BENCHMARKS.md).
 *
 * Bun's own client, rather than node-redis: on the cache-hit path it halved the tail latency
 * (p99 2.0–2.3 ms → 1.0–1.3 ms at 1,000 requests/s, BENCHMARKS.md).
 */
export function createRedis(url: string, logger: Logger): Redis {
  const client = new RedisClient(url, { enableOfflineQueue: false, autoReconnect: false, connectionTimeout: 1000 });
  let closing = false;
  let failures = 0;
  let lastWarning = -Infinity;
  let pingSentAt: number | undefined;
  const connect = () => {
    client.connect().then(
      () => {
        failures = 0;
      },
      () => {}, // onclose reports it and tries again
    );
  };
  const warn = (message: string, fields: Record<string, unknown>) => {
    if (performance.now() - lastWarning > 5000) {
      lastWarning = performance.now();
      logger.warn(message, fields);
    }
  };
  client.onclose = (error) => {
    pingSentAt = undefined;
    if (closing) return;
    warn("redis connection lost; reconnecting", { ...errorFields(error), stack: undefined });
    setTimeout(connect, Math.min(50 * 2 ** failures++, 2000));
  };
  const watchdog = setInterval(() => {
    if (!client.connected) return;
    if (pingSentAt === undefined) {
      const sentAt = performance.now();
      pingSentAt = sentAt;
      client.send("PING", []).then(
        () => {
          if (pingSentAt === sentAt) pingSentAt = undefined;
        },
        () => {}, // the connection failed: onclose sees to it
      );
    } else if (performance.now() - pingSentAt > REDIS_STALL_MS) {
      warn("redis answers nothing; dropping the connection", { waited_ms: Math.round(performance.now() - pingSentAt) });
      client.close(); // fails the waiting commands; onclose reconnects
    }
  }, STALL_CHECK_MS);
  watchdog.unref();
  connect();
  return {
    client,
    get connected() {
      return client.connected;
    },
    close() {
      closing = true;
      clearInterval(watchdog);
      client.close();
    },
  };
}

/** What signs and verifies tokens: the keys the settings name (a ConfigError if malformed) and the claims. */
export const tokenIssuerOf = (config: UsersConfig, logger: Logger): TokenIssuer => ({
  keys: loadSigningKeys(config, logger),
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  ttlSeconds: config.TOKEN_TTL_SECONDS,
});

/**
 * The clients of the users service, made from its settings (tests may hand in a pool or a Redis of
 * their own). The ledger must be started before the cache is used, and stopped before the pool ends.
 * The signing keys are read first, so a malformed key stops the start before anything connects; nothing
 * connects to RabbitMQ until the broker starts.
 */
export function createUsersClients(config: UsersConfig, logger: Logger, given: { sql?: Sql; redis?: Redis } = {}) {
  const tokens = tokenIssuerOf(config, logger);
  prepareDummyHash();
  const sql = given.sql ?? createSql(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, timeoutMs: config.DATABASE_TIMEOUT_MS });
  const inTime = databaseDeadline("users database", config.DATABASE_TIMEOUT_MS);
  const redis = given.redis ?? createRedis(config.REDIS_URL, logger);
  const cache = createAvailabilityCache({ redis: redis.client, prefix: config.CACHE_PREFIX, ttlSeconds: config.CACHE_TTL_SECONDS, logger });
  const throttle = createLoginThrottle({
    redis: redis.client,
    prefix: config.CACHE_PREFIX,
    limits: { perEmail: config.LOGIN_MAX_FAILURES, perIp: config.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: config.LOGIN_WINDOW_SECONDS },
  });
  const worker = createServiceClient({ name: "worker", baseUrl: config.WORKER_URL, timeoutMs: config.WORKER_TIMEOUT_MS });
  const broker = createBroker({ url: config.AMQP_URL, logger, declare: (channel) => assertEventsExchange(channel, config.QUEUE_PREFIX) });
  const ledger = createInvalidationLedger({ sql, inTime, cache, logger });
  return { sql, inTime, redis, cache, ledger, tokens, throttle, worker, broker, logger };
}
export type UsersClients = ReturnType<typeof createUsersClients>;
