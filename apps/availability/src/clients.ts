import type { Logger } from "@w2meet/kit";
import { createRelayingClient } from "@w2meet/kit/relay";
import type { AvailabilityConfig } from "./config.ts";

/** The clients of the availability service, made from its settings. */
export function createAvailabilityClients(config: AvailabilityConfig, logger: Logger) {
  return {
    users: createRelayingClient({ name: "users", baseUrl: config.USERS_URL, timeoutMs: config.USERS_TIMEOUT_MS }),
    logger,
  };
}
