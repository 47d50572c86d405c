import { createService, listSetting, type Logger } from "@w2meet/kit";
import { postgresProblem, type Sql } from "@w2meet/kit/postgres";
import { createAvailabilityCache } from "./users/cache.ts";
import type { Redis } from "./clients.ts";
import { usersRoutes } from "./users/routes.ts";
import type { UsersConfig } from "./config.ts";

export type UsersClients = { sql: Sql; redis: Redis; logger: Logger };

/** The users service: people and their weeks in Postgres, the availability reads cached in Redis. */
export function buildUsersApp(config: UsersConfig, { sql, redis, logger }: UsersClients) {
  const cache = createAvailabilityCache({ redis: redis.client, prefix: config.CACHE_PREFIX, ttlSeconds: config.CACHE_TTL_SECONDS, logger });
  return createService({
    name: "users",
    description: "People, their weekly availability and preferred slot. Postgres is the truth; Redis serves reads.",
    logger,
    corsOrigins: listSetting(config.CORS_ORIGINS),
    mapError: postgresProblem,
    dependencies: {
      postgres: { required: true, check: () => sql`select 1` },
      redis: { required: false, check: () => cache.ping() },
    },
    tags: [{ name: "users", description: "People and their weekly availability" }],
  }).use(usersRoutes({ sql, cache }));
}
