import { createLogger, runService } from "@w2meet/kit";
import { checkMigrated, prepareDatabase } from "@w2meet/kit/migrations";
import { buildUsersApp } from "./app.ts";
import { createUsersClients } from "./clients.ts";
import { loadUsersConfig } from "./config.ts";
import { createEventRelay } from "./events/relay.ts";

await runService("users", async () => {
  const config = loadUsersConfig();
  const logger = createLogger({ service: "users", level: config.LOG_LEVEL });
  const clients = createUsersClients(config, logger);
  const migrations = { service: "users", dir: new URL("../migrations", import.meta.url).pathname };
  // Under the Helm chart a migration Job has applied them once for the release (MIGRATE_ON_START=false).
  if (config.MIGRATE_ON_START)
    await prepareDatabase(config.DATABASE_URL, clients.sql, { ...migrations, adminUrl: config.DATABASE_ADMIN_URL, logger });
  else await checkMigrated(clients.sql, migrations);
  await clients.ledger.start();
  const relay = createEventRelay({
    sql: clients.sql,
    broker: clients.broker,
    prefix: config.QUEUE_PREFIX,
    pollMs: config.OUTBOX_POLL_MS,
    logger,
  });
  await relay.start();
  clients.broker.start();
  return {
    app: buildUsersApp(config, clients),
    config,
    logger,
    close: [
      () => relay.stop(),
      () => clients.broker.close(),
      () => clients.ledger.stop(),
      () => clients.sql.end({ timeout: 5 }),
      async () => clients.redis.close(),
    ],
  };
});
