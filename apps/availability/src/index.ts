import { createLogger, failStart, serveService } from "@w2meet/kit";
import { buildAvailabilityApp } from "./app.ts";
import { createAvailabilityClients } from "./clients.ts";
import { loadAvailabilityConfig } from "./config.ts";

try {
  const config = loadAvailabilityConfig();
  const logger = createLogger({ service: "availability", level: config.LOG_LEVEL });
  serveService(buildAvailabilityApp(config, createAvailabilityClients(config, logger)), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
} catch (error) {
  failStart("availability", error);
}
