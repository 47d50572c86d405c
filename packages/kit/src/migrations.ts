// A service's database made ready: its role and database created when an administrative URL is given,
// its migrations applied once under an advisory lock, or, when the release's migration Job applies
// them (the Helm chart), only checked before the service serves.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { errorFields, type Logger } from "./logger.ts";
import { createSql, type Sql } from "./postgres.ts";

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

/** The `NNNN_name.sql` files of `dir`, in the order they apply. */
const migrationFiles = async (dir: string) => (await readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();

/**
 * Applies the `NNNN_name.sql` files of `dir` that `service` has not applied yet, each in its own
 * transaction, under an advisory lock shared by every service, so that services and replicas starting
 * together migrate one at a time and each migration runs once.
 */
export async function migrate(sql: Sql, options: { service: string; dir: string; logger?: Logger }): Promise<string[]> {
  const files = await migrationFiles(options.dir);
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
): Promise<string[]> {
  if (options.adminUrl) await provision(url, options.adminUrl);
  return migrate(sql, options);
}

/**
 * Throws unless every `NNNN_name.sql` file of `dir` is applied for `service`: a service that does not
 * migrate at start-up (MIGRATE_ON_START=false) refuses to serve an older schema than its code expects.
 */
export async function checkMigrated(sql: Sql, options: { service: string; dir: string }): Promise<void> {
  const files = await migrationFiles(options.dir);
  const [table] = await sql<{ exists: boolean }[]>`select to_regclass('schema_migrations') is not null as exists`;
  const applied = table!.exists
    ? new Set(
        (await sql<{ version: string }[]>`select version from schema_migrations where service = ${options.service}`).map((r) => r.version),
      )
    : new Set<string>();
  const missing = files.filter((file) => !applied.has(file));
  if (missing.length > 0) {
    throw new Error(
      `the ${options.service} database lacks migrations ${missing.join(", ")}: apply them first (apps/${options.service}/src/migrate.ts, the migration Job)`,
    );
  }
}

/**
 * The whole of an app's `migrate.ts`, which the Helm chart's migration Job runs once per release: makes
 * the database ready as `prepareDatabase` does, logs what it applied, and exits 0; on any failure it
 * logs why as one line and exits 1, so the Job tries again.
 */
export async function runMigrations(options: {
  service: string;
  url: string;
  adminUrl: string;
  dir: string;
  logger: Logger;
}): Promise<never> {
  const sql = createSql(options.url, { max: 1 });
  let code = 0;
  try {
    const applied = await prepareDatabase(options.url, sql, options);
    options.logger.info("migrations done", { applied: applied.length, versions: applied });
  } catch (error) {
    options.logger.error("migrations failed", { ...errorFields(error), stack: undefined });
    code = 1;
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
  process.exit(code);
}
