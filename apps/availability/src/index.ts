import { createLogger, runService } from "@w2meet/kit";
import { buildAvailabilityApp } from "./app.ts";
import { createAvailabilityClients } from "./clients.ts";
import { loadAvailabilityConfig } from "./config.ts";

await runService("availability", () => {
  const config = loadAvailabilityConfig();
  const logger = createLogger({ service: "availability", level: config.LOG_LEVEL });
  return { app: buildAvailabilityApp(config, createAvailabilityClients(config, logger)), config, logger };
});
