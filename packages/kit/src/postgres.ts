import { readdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { ProblemError } from "./errors.ts";
import type { Logger } from "./logger.ts";

export type Sql = postgres.Sql;

/** How long one request's database work may take by default (a caller's hop timeout must be longer). */
const DATABASE_TIMEOUT_MS = 1500;

/**
 * A pooled Postgres client that fails fast: 2 s to connect, and the server cancels any statement
 * running longer than `timeoutMs`. A server gone silent cancels nothing: bound each request's work
 * with `databaseDeadline` as well.
 */
export function createSql(url: string, options: { max?: number; timeoutMs?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 2,
    idle_timeout: 30,
    onnotice: () => {},
    connection: { statement_timeout: options.timeoutMs ?? DATABASE_TIMEOUT_MS },
  });
}

/** Runs a request's database work within a deadline (see `databaseDeadline`). */
export type Deadline = {
  /** One statement; past the deadline it is taken off the pool's queue if it has not been sent yet. */
  <T>(query: PromiseLike<T> & { cancel?: () => unknown; state?: unknown }): Promise<T>;
  /** One transaction; one that gets its connection only after the deadline rolls back instead of running. */
  transaction<T>(sql: Sql, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T>;
};

class DeadlinePassed extends Error {}

/**
 * Bounds a request's database work, whatever the network does (a host that vanished without a reset
 * leaves queries waiting for ever): past `ms`, a 503 problem naming `database`. Work still waiting for a
 * connection then never runs, so a write answered with a 503 is not made later; a statement already
 * sent is left to fail with its connection (or, past COMMIT, may have been made: the 503 says so).
 */
export function databaseDeadline(database: string, ms: number): Deadline {
  const problem = () =>
    new ProblemError("unavailable", `The ${database} did not answer within ${ms} ms; try again shortly (a write may not have been made)`);
  const bounded = <T>(work: PromiseLike<T>, expire: () => void) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        expire();
        reject(problem());
      }, ms);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          reject(error instanceof DeadlinePassed ? problem() : error);
        },
      );
    });
  // Only a statement still queued for a connection is taken back: postgres.js removes it at once. One
  // already sent would be cancelled over a new connection, whose failure its Query#cancel() drops
  // unhandled, and a server gone silent would not answer that one either.
  const deadline = <T>(query: PromiseLike<T> & { cancel?: () => unknown; state?: unknown }) =>
    bounded(query, () => {
      if (query.state === null) query.cancel?.();
    });
  deadline.transaction = <T>(sql: Sql, work: (tx: postgres.TransactionSql) => Promise<T>) => {
    let expired = false;
    const transaction = sql.begin((tx) => {
      if (expired) throw new DeadlinePassed();
      return work(tx);
    }) as Promise<T>;
    return bounded(transaction, () => {
      expired = true;
    });
  };
  return deadline;
}

// Advisory-lock keys. Every service of a cluster takes the same ones, whatever its name: two services
// creating roles or databases race on Postgres's catalog (unique violations on pg_authid, pg_database or
// pg_type), so they must wait for each other, not only for their own replicas. The provisioning lock is
// held in the administrative connection's database (`postgres` by default), so services must share that.
const PROVISION_LOCK = "w2meet.create-database";
const MIGRATE_LOCK = "w2meet.migrate";

const DUPLICATE_DATABASE = "42P04";
const DUPLICATE_OBJECT = "42710";
const UNIQUE_VIOLATION = "23505";

const connectOnce = (url: string) => postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });

/**
 * Runs one utility statement on its own connection, outside any transaction (CREATE DATABASE cannot run
 * in one). `template` is a `format()` template: the server quotes names (%I) and literals (%L) itself.
 * An object made meanwhile by something that does not take the lock (an operator, an older release) is
 * not an error.
 */
async function runAlone(url: string, template: string, ...values: string[]): Promise<void> {
  const sql = connectOnce(url);
  try {
    const placeholders = values.map((_, i) => `, $${i + 2}::text`).join("");
    const [row] = await sql.unsafe<{ statement: string }[]>(`select format($1::text${placeholders}) as statement`, [template, ...values]);
    await sql.unsafe(row!.statement);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== DUPLICATE_DATABASE && code !== DUPLICATE_OBJECT && code !== UNIQUE_VIOLATION) throw error;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Creates, through the administrative connection `adminUrl`, what `url` needs and does not have yet: its
 * user as a LOGIN role (with the URL's password, if any; nothing more: no superuser, CREATEDB or
 * CREATEROLE), and its database owned by that role, the public schema too, with CONNECT and TEMPORARY
 * revoked from PUBLIC so that no other service's role can reach it. An existing role or database is left
 * as it is. Services and replicas starting together take turns under an advisory lock, so exactly one
 * creates each and the others find it.
 */
async function provision(url: string, adminUrl: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const role = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  if (!database) return;
  const sql = connectOnce(adminUrl);
  try {
    await sql.begin(async (tx) => {
      // Transaction-scoped: released at commit or when the connection dies, whatever happens here.
      await tx`select pg_advisory_xact_lock(hashtext(${PROVISION_LOCK}))`;
      // Each statement on a connection of its own, committed at once, so CREATE DATABASE … OWNER sees the role.
      if (role && (await tx`select 1 from pg_roles where rolname = ${role}`).length === 0) {
        if (password) await runAlone(adminUrl, "create role %I login password %L", role, password);
        else await runAlone(adminUrl, "create role %I login", role);
      }
      if ((await tx`select 1 from pg_database where datname = ${database}`).length > 0) return;
      if (role) await runAlone(adminUrl, "create database %I owner %I", database, role);
      else await runAlone(adminUrl, "create database %I", database);
      await runAlone(adminUrl, "revoke connect, temporary on database %I from public", database);
      if (!role) return;
      // Before Postgres 15 the public schema belongs to the bootstrap superuser and anyone may create in it.
      const inside = new URL(adminUrl);
      inside.pathname = `/${encodeURIComponent(database)}`;
      await runAlone(inside.toString(), "alter schema public owner to %I", role);
      await runAlone(inside.toString(), "revoke create on schema public from public");
    });
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Applies the `NNNN_name.sql` files of `dir` that `service` has not applied yet, each in its own
 * transaction, under an advisory lock shared by every service, so that services and replicas starting
 * together migrate one at a time and each migration runs once.
 */
export async function migrate(sql: Sql, options: { service: string; dir: string; logger?: Logger }): Promise<string[]> {
  const files = (await readdir(options.dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return sql.begin(async (tx) => {
    // A migration may take longer than a request may: no statement timeout here.
    await tx`set local statement_timeout = 0`;
    await tx`select pg_advisory_xact_lock(hashtext(${MIGRATE_LOCK}))`;
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
 * Makes a service's database ready before it serves: with an `adminUrl`, its role and database are
 * created if missing (a first start; see `provision`); then it is migrated over `sql`, the service's own
 * connection, with the `NNNN_name.sql` files of `dir`. An empty `adminUrl` creates nothing: the operator did.
 */
export async function prepareDatabase(
  url: string,
  sql: Sql,
  options: { service: string; dir: string; adminUrl: string; logger?: Logger },
): Promise<void> {
  if (options.adminUrl) await provision(url, options.adminUrl);
  await migrate(sql, options);
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** True when an error means Postgres cannot be reached, rather than that a query was wrong. */
function isPostgresUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}

const QUERY_CANCELED = "57014";

/**
 * Maps "Postgres cannot be reached" and a statement the server cancelled for taking too long to a 503
 * problem naming `database`; for `createService({ mapError })`.
 */
export const postgresProblem =
  (database: string) =>
  (error: unknown): ProblemError | undefined => {
    if (isPostgresUnreachable(error)) return new ProblemError("unavailable", `The ${database} is unreachable; try again shortly`);
    if ((error as { code?: unknown } | null)?.code === QUERY_CANCELED) {
      return new ProblemError("unavailable", `The ${database} did not answer in time; try again shortly`);
    }
    return undefined;
  };
