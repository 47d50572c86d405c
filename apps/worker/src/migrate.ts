// The worker service's migration entry, run once per release by the Helm chart's migration Job
// (`bun apps/worker/src/migrate.ts`): creates the role and database when DATABASE_ADMIN_URL is given,
// applies the migrations, and exits; the service's pods then start with MIGRATE_ON_START=false.
import { createLogger } from "@w2meet/kit";
import { runMigrations } from "@w2meet/kit/migrations";
import { loadWorkerConfig } from "./config.ts";

const config = loadWorkerConfig();
await runMigrations({
  service: "worker",
  url: config.DATABASE_URL,
  adminUrl: config.DATABASE_ADMIN_URL,
  dir: new URL("../migrations", import.meta.url).pathname,
  logger: createLogger({ service: "worker", level: config.LOG_LEVEL }).child({ job: "migrate" }),
});
