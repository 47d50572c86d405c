import { corsOf, createService, type Logger, tokenVerifierOf } from "@w2meet/kit";
import type { RelayingClient } from "@w2meet/kit/relay";
import { availabilityRoutes } from "./availability/routes.ts";
import type { AvailabilityConfig } from "./config.ts";

export type AvailabilityClients = { users: RelayingClient; logger: Logger };

/** The availability service: stateless computation over the weeks the users service holds. */
export function buildAvailabilityApp(config: AvailabilityConfig, { users, logger }: AvailabilityClients) {
  return createService({
    name: "availability",
    description: "The hours a group is all free, as weeks and intervals, and who is free when (heatmap).",
    logger,
    cors: corsOf(config),
    verifyTokens: tokenVerifierOf(config),
    dependencies: {
      users: { required: true, check: () => users.live(), cacheMs: 1000 },
    },
    tags: [{ name: "availability", description: "Common free hours of a group" }],
  }).use(availabilityRoutes({ users }));
}
