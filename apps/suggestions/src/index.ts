import { createLogger, failStart, serveService } from "@w2meet/kit";
import { buildSuggestionsApp } from "./app.ts";
import { createSuggestionsClients } from "./clients.ts";
import { loadSuggestionsConfig } from "./config.ts";

try {
  const config = loadSuggestionsConfig();
  const logger = createLogger({ service: "suggestions", level: config.LOG_LEVEL });
  serveService(buildSuggestionsApp(config, createSuggestionsClients(config, logger)), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
} catch (error) {
  failStart("suggestions", error);
}
