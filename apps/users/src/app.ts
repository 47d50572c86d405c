import { corsOf, createService } from "@w2meet/kit";
import { postgresProblem } from "@w2meet/kit/postgres";
import type { UsersClients } from "./clients.ts";
import type { UsersConfig } from "./config.ts";
import { usersRoutes } from "./users/routes.ts";

/** The users service: people and their weeks in Postgres, the availability reads cached in Redis. */
export function buildUsersApp(config: UsersConfig, { sql, inTime, cache, ledger, logger }: UsersClients) {
  return createService({
    name: "users",
    description: "People, their weekly availability and preferred slot. Postgres is the truth; Redis serves reads.",
    logger,
    cors: corsOf(config),
    mapError: postgresProblem("users database"),
    dependencies: {
      postgres: { required: true, check: () => sql`select 1` },
      redis: {
        required: false,
        check: async () => {
          await cache.ping();
          if (!ledger.trusted) throw new Error("reachable; cached reads resume once missed invalidations are replayed");
        },
      },
    },
    tags: [{ name: "users", description: "People and their weekly availability" }],
  }).use(usersRoutes({ sql, inTime, cache, ledger }));
}
