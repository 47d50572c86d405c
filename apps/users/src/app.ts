import { corsOf, createService } from "@w2meet/kit";
import { postgresProblem } from "@w2meet/kit/postgres";
import { authRoutes } from "./auth/routes.ts";
import { datesRoutes } from "./dates/routes.ts";
import { localTokenVerifier } from "./auth/tokens.ts";
import type { UsersClients } from "./clients.ts";
import { adminEmailsOf, type UsersConfig } from "./config.ts";
import { usersRoutes } from "./users/routes.ts";
import { verificationRoutes } from "./verification/routes.ts";

/**
 * The users service: people and their weeks in Postgres, the availability reads cached in Redis; and
 * identity: passwords, the tokens every service verifies (signed here, public keys at /auth/jwks.json),
 * email verification.
 */
export function buildUsersApp(config: UsersConfig, clients: UsersClients) {
  const { sql, inTime, cache, ledger, tokens, throttle, worker, broker, logger } = clients;
  return createService({
    name: "users",
    description:
      "People, their weekly availability in their time zone, dated exceptions and preferred slot; their passwords, tokens and verified addresses. Postgres is the truth; Redis serves reads.",
    logger,
    cors: corsOf(config),
    mapError: postgresProblem("users database"),
    verifyTokens: localTokenVerifier(tokens),
    dependencies: {
      postgres: { required: true, check: () => sql`select 1` },
      redis: {
        required: false,
        check: async () => {
          await cache.ping();
          if (!ledger.trusted) throw new Error("reachable; cached reads resume once missed invalidations are replayed");
        },
      },
      // Writes never wait for it: their person.changed events stay in the outbox until it is back.
      rabbitmq: { required: false, check: () => broker.check() },
    },
    tags: [
      { name: "users", description: "People and their weekly availability" },
      { name: "dates", description: "Dated exceptions: days whose free time replaces a person's weekly pattern" },
      { name: "auth", description: "Tokens, the keys that verify them, and email verification" },
    ],
  })
    .use(usersRoutes({ sql, inTime, cache, ledger }))
    .use(datesRoutes({ sql, inTime, cache, ledger }))
    .use(authRoutes({ sql, inTime, throttle, tokens, admins: adminEmailsOf(config) }))
    .use(verificationRoutes({ sql, inTime, worker, tokens, logger }));
}
