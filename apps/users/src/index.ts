import { createLogger, runService } from "@w2meet/kit";
import { prepareDatabase } from "@w2meet/kit/postgres";
import { buildUsersApp } from "./app.ts";
import { createUsersClients } from "./clients.ts";
import { loadUsersConfig } from "./config.ts";
import { createEventRelay } from "./events/relay.ts";

await runService("users", async () => {
  const config = loadUsersConfig();
  const logger = createLogger({ service: "users", level: config.LOG_LEVEL });
  const clients = createUsersClients(config, logger);
  await prepareDatabase(config.DATABASE_URL, clients.sql, {
    service: "users",
    dir: new URL("../migrations", import.meta.url).pathname,
    adminUrl: config.DATABASE_ADMIN_URL,
    logger,
  });
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
