import { corsOf, createService, type Logger, tokenVerifierOf } from "@w2meet/kit";
import type { RelayingClient } from "@w2meet/kit/relay";
import { suggestionsRoutes } from "./suggestions/routes.ts";
import { suggestionsDeps } from "./suggestions/service.ts";
import type { SuggestionsConfig } from "./config.ts";

export type SuggestionsClients = { availability: RelayingClient; logger: Logger };

/** The suggestions service: stateless ranking of meeting slots over a group's availability. */
export function buildSuggestionsApp(config: SuggestionsConfig, { availability, logger }: SuggestionsClients) {
  return createService({
    name: "suggestions",
    description: "Ranked meeting slots for a group: first, last or random, of a given duration, for everyone or most.",
    logger,
    cors: corsOf(config),
    verifyTokens: tokenVerifierOf(config),
    dependencies: {
      availability: { required: true, check: () => availability.live(), cacheMs: 1000 },
    },
    tags: [{ name: "suggestions", description: "Meeting slots for a group" }],
  }).use(suggestionsRoutes(suggestionsDeps(availability, logger)));
}
