import { createLogger, runService } from "@w2meet/kit";
import { buildWebApp } from "./app.ts";
import { loadWebConfig } from "./config.ts";

await runService("web", async () => {
  const config = loadWebConfig();
  const logger = createLogger({ service: "web", level: config.LOG_LEVEL });
  return { app: await buildWebApp(config, logger), config, logger };
});
