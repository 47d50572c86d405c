import type { Logger } from "@w2meet/kit";
import { createRelayingClient } from "@w2meet/kit/relay";
import type { SuggestionsConfig } from "./config.ts";

/** The clients of the suggestions service, made from its settings. */
export function createSuggestionsClients(config: SuggestionsConfig, logger: Logger) {
  return {
    availability: createRelayingClient({
      name: "availability",
      baseUrl: config.AVAILABILITY_URL,
      timeoutMs: config.AVAILABILITY_TIMEOUT_MS,
    }),
    logger,
  };
}
