import { corsOf, createService, INTERNAL_TAG, tokenVerifierOf } from "@w2meet/kit";
import { databaseDeadline, postgresProblem } from "@w2meet/kit/postgres";
import type { WorkerClients } from "./clients.ts";
import type { WorkerConfig } from "./config.ts";
import { tasksRoutes } from "./tasks/routes.ts";
import { verificationRoutes } from "./verification/routes.ts";

/**
 * The worker's HTTP side: accept tasks, follow them, read invitations, take verification mails from the
 * users service, and report on its dependencies.
 */
export function buildWorkerApp(
  config: WorkerConfig,
  { sql, broker, mailer, users, logger }: Pick<WorkerClients, "sql" | "broker" | "mailer" | "users" | "logger">,
) {
  const inTime = databaseDeadline("worker database", config.DATABASE_TIMEOUT_MS);
  return createService({
    name: "worker",
    description:
      "Background scheduling tasks: accepted into Postgres with an outbox, carried by RabbitMQ, answered with an " +
      "iCalendar invitation mailed to the attendees.",
    logger,
    cors: corsOf(config),
    mapError: postgresProblem("worker database"),
    verifyTokens: tokenVerifierOf(config),
    dependencies: {
      postgres: { required: true, check: () => sql`select 1` },
      // Tasks are still accepted without these: the outbox keeps them until RabbitMQ and SMTP are back.
      rabbitmq: { required: false, check: () => broker.check() },
      smtp: { required: false, cacheMs: 2000, check: () => mailer.verify() },
      // Invitations wait for it (it says which addresses are verified); nothing else does.
      users: { required: false, cacheMs: 2000, check: () => users.live() },
      outbox: { required: false, cacheMs: 1000, check: () => checkOutboxBacklog(sql, config.OUTBOX_STALE_SECONDS) },
    },
    tags: [
      { name: "tasks", description: "Scheduling work done in the background" },
      { name: "verification", description: "Verification codes mailed for the users service" },
      { name: INTERNAL_TAG, description: "Called by other W2Meet services only; not routed by the gateway" },
    ],
  })
    .use(tasksRoutes({ sql, inTime, publicUrl: config.PUBLIC_URL }))
    .use(verificationRoutes({ sql, inTime }));
}

/** Reports the outbox backlog; rejects, naming it, when a row has waited longer than `staleSeconds` to be published. */
async function checkOutboxBacklog(sql: WorkerClients["sql"], staleSeconds: number): Promise<{ detail: string }> {
  const [backlog] = await sql<{ unsent: number; oldest_seconds: number | null }[]>`
    select count(*)::int as unsent, extract(epoch from now() - min(created_at))::float8 as oldest_seconds
    from outbox where sent_at is null`;
  const oldest = backlog?.oldest_seconds ?? 0;
  const detail = `${backlog?.unsent ?? 0} unsent messages; the oldest has waited ${oldest.toFixed(1)} s`;
  if (oldest > staleSeconds) throw new Error(detail);
  return { detail };
}
