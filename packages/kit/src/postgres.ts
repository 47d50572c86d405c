import { readdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { ProblemError } from "./errors.ts";
import type { Logger } from "./logger.ts";

export type Sql = postgres.Sql;

/** A pooled Postgres client that fails fast (2 s) when the server cannot be reached. */
export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 2,
    idle_timeout: 30,
    onnotice: () => {},
  });
}

/** Creates the database `url` names when it does not exist yet, for a first native start. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as present from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`).catch((error) => {
      if (error?.code !== "42P04") throw error; // created meanwhile by a replica starting at the same time
    });
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Applies the `NNNN_name.sql` files of `dir` that `service` has not applied yet, each in its own
 * transaction, under an advisory lock so that replicas starting together migrate once.
 */
export async function migrate(sql: Sql, options: { service: string; dir: string; logger?: Logger }): Promise<string[]> {
  const files = (await readdir(options.dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${"w2meet.migrate." + options.service}))`;
    await tx`create table if not exists schema_migrations (
      service text not null, version text not null, applied_at timestamptz not null default now(),
      primary key (service, version))`;
    const done = new Set(
      (await tx`select version from schema_migrations where service = ${options.service}`).map((r) => r.version as string),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.unsafe(await Bun.file(join(options.dir, file)).text());
      await tx`insert into schema_migrations (service, version) values (${options.service}, ${file})`;
      applied.push(file);
      options.logger?.info("migration applied", { version: file });
    }
    return applied;
  });
}

/**
 * Makes a service's database ready before it serves: created if missing (a first native start), then
 * migrated with the `NNNN_name.sql` files of `dir`.
 */
export async function prepareDatabase(url: string, sql: Sql, options: { service: string; dir: string; logger?: Logger }): Promise<void> {
  await ensureDatabase(url);
  await migrate(sql, options);
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED",
  "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006",
]);

/** True when an error means Postgres cannot be reached, rather than that a query was wrong. */
export function isPostgresUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}

/** Maps "Postgres cannot be reached" to a 503 problem; for `createService({ mapError })`. */
export function postgresProblem(error: unknown): ProblemError | undefined {
  return isPostgresUnreachable(error) ? new ProblemError("unavailable", "The database is unreachable; try again shortly") : undefined;
}
