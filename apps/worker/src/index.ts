import { createLogger, failStart, serveService } from "@w2meet/kit";
import { ensureDatabase, migrate } from "@w2meet/kit/postgres";
import { buildWorkerApp } from "./app.ts";
import { startBackgroundWork } from "./background.ts";
import { createWorkerClients } from "./clients.ts";
import { loadWorkerConfig } from "./config.ts";

try {
  const config = loadWorkerConfig();
  const logger = createLogger({ service: "worker", level: config.LOG_LEVEL });
  await ensureDatabase(config.DATABASE_URL);
  const clients = createWorkerClients(config, logger);
  await migrate(clients.sql, { service: "worker", dir: new URL("../migrations", import.meta.url).pathname, logger });
  const app = buildWorkerApp(config, clients);
  const background = await startBackgroundWork(config, clients);
  serveService(app, {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    close: [
      () => background.stop(config.SHUTDOWN_TIMEOUT_MS),
      async () => clients.mailer.close(),
      () => clients.sql.end({ timeout: 5 }),
    ],
  });
} catch (error) {
  failStart("worker", error);
}
