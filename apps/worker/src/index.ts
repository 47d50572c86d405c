import { createLogger, runService } from "@w2meet/kit";
import { checkMigrated, prepareDatabase } from "@w2meet/kit/migrations";
import { buildWorkerApp } from "./app.ts";
import { startBackgroundWork } from "./background.ts";
import { createWorkerClients } from "./clients.ts";
import { loadWorkerConfig } from "./config.ts";

await runService("worker", async () => {
  const config = loadWorkerConfig();
  const logger = createLogger({ service: "worker", level: config.LOG_LEVEL });
  const clients = createWorkerClients(config, logger);
  const migrations = { service: "worker", dir: new URL("../migrations", import.meta.url).pathname };
  // Under the Helm chart a migration Job has applied them once for the release (MIGRATE_ON_START=false).
  if (config.MIGRATE_ON_START)
    await prepareDatabase(config.DATABASE_URL, clients.sql, { ...migrations, adminUrl: config.DATABASE_ADMIN_URL, logger });
  else await checkMigrated(clients.sql, migrations);
  const app = buildWorkerApp(config, clients);
  const background = await startBackgroundWork(config, clients);
  return {
    app,
    config,
    logger,
    close: [() => background.stop(config.SHUTDOWN_TIMEOUT_MS), async () => clients.mailer.close(), () => clients.sql.end({ timeout: 5 })],
  };
});
