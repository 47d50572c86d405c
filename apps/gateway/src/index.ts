import { createLogger, runService } from "@w2meet/kit";
import { buildGatewayApp } from "./app.ts";
import { loadGatewayConfig } from "./config.ts";

await runService("gateway", () => {
  const config = loadGatewayConfig();
  const logger = createLogger({ service: "gateway", level: config.LOG_LEVEL });
  return { app: buildGatewayApp(config, logger), config, logger };
});
