import { createLogger, runService } from "@w2meet/kit";
import { buildSuggestionsApp } from "./app.ts";
import { createSuggestionsClients } from "./clients.ts";
import { loadSuggestionsConfig } from "./config.ts";

await runService("suggestions", () => {
  const config = loadSuggestionsConfig();
  const logger = createLogger({ service: "suggestions", level: config.LOG_LEVEL });
  return { app: buildSuggestionsApp(config, createSuggestionsClients(config, logger)), config, logger };
});
