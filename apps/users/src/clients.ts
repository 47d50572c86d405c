import { errorFields, type Logger } from "@w2meet/kit";
import { createSql } from "@w2meet/kit/postgres";
import { createClient } from "redis";
import type { Redis } from "./users/cache.ts";
import type { UsersConfig } from "./config.ts";

/** Redis commands give up after this long, so a stalled Redis degrades to Postgres instead of hanging. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * A Redis client that never blocks a request: commands fail at once while disconnected (no offline
 * queue) and after a short timeout otherwise, and it reconnects in the background with backoff.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: REDIS_COMMAND_TIMEOUT_MS },
    socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000) },
  }) as unknown as Redis;
  let lastError = -Infinity;
  redis.on("error", (error: unknown) => {
    if (performance.now() - lastError > 5000) {
      lastError = performance.now();
      logger.warn("redis connection error", { ...errorFields(error), stack: undefined });
    }
  });
  redis.connect().catch((error: unknown) => logger.warn("redis not reachable at start", { ...errorFields(error), stack: undefined }));
  return redis;
}

/** The clients of the users service, made from its settings. */
export function createUsersClients(config: UsersConfig, logger: Logger) {
  return {
    sql: createSql(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE }),
    redis: createRedis(config.REDIS_URL, logger),
    logger,
  };
}
