import { createServiceClient, type Logger } from "@w2meet/kit";
import type { AvailabilityConfig } from "./config.ts";

/** The clients of the availability service, made from its settings. */
export function createAvailabilityClients(config: AvailabilityConfig, logger: Logger) {
  return {
    users: createServiceClient({ name: "users", baseUrl: config.USERS_URL, timeoutMs: config.USERS_TIMEOUT_MS }),
    logger,
  };
}
