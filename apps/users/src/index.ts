import { createLogger, failStart, serveService } from "@w2meet/kit";
import { ensureDatabase, migrate } from "@w2meet/kit/postgres";
import { buildUsersApp } from "./app.ts";
import { createUsersClients } from "./clients.ts";
import { loadUsersConfig } from "./config.ts";

try {
  const config = loadUsersConfig();
  const logger = createLogger({ service: "users", level: config.LOG_LEVEL });
  await ensureDatabase(config.DATABASE_URL);
  const clients = createUsersClients(config, logger);
  await migrate(clients.sql, { service: "users", dir: new URL("../migrations", import.meta.url).pathname, logger });
  serveService(buildUsersApp(config, clients), {
    port: config.PORT,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    close: [() => clients.sql.end({ timeout: 5 }), async () => clients.redis.close()],
  });
} catch (error) {
  failStart("users", error);
}
