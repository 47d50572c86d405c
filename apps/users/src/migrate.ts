// The users service's migration entry, run once per release by the Helm chart's migration Job
// (`bun apps/users/src/migrate.ts`): creates the role and database when DATABASE_ADMIN_URL is given,
// applies the migrations, and exits; the service's pods then start with MIGRATE_ON_START=false.
import { createLogger } from "@w2meet/kit";
import { runMigrations } from "@w2meet/kit/migrations";
import { loadUsersConfig } from "./config.ts";

const config = loadUsersConfig();
await runMigrations({
  service: "users",
  url: config.DATABASE_URL,
  adminUrl: config.DATABASE_ADMIN_URL,
  dir: new URL("../migrations", import.meta.url).pathname,
  logger: createLogger({ service: "users", level: config.LOG_LEVEL }).child({ job: "migrate" }),
});
