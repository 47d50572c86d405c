import { afterAll, describe, expect, test } from "bun:test";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { checkMigrated, prepareDatabase } from "./migrations.ts";
import { createSql } from "./postgres.ts";
import { TEST_DATABASE_URL, unusedServiceDatabase, unusedTestDatabase } from "@w2meet/testing";

const made: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of made) await drop();
}, 60_000);

/** A database name nothing has created yet. */
function freshDatabaseUrl(): string {
  const database = unusedTestDatabase("w2meet_start");
  made.push(database.drop);
  return database.url;
}

/** A role and database of a service that nothing has created yet. */
function freshServiceDatabase(): { url: string; role: string } {
  const database = unusedServiceDatabase();
  made.push(database.drop);
  return database;
}

async function migrationsDir(service: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `w2meet-${service}-`));
  await writeFile(join(dir, "0001_init.sql"), `create table ${service}_items (id int primary key);`);
  return dir;
}

/** The Postgres error code of what `work` rejected with (or "none"). */
async function errorCodeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return "none";
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

/** Connects once to `database` with the credentials of `url`, and runs `select 1`. */
async function connectTo(url: string, database: string): Promise<void> {
  const target = new URL(url);
  target.pathname = `/${database}`;
  const sql = postgres(target.toString(), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const adminUrl = TEST_DATABASE_URL;

describe("prepareDatabase", () => {
  test("several services starting at once against a database that does not exist all start, 20 times over", async () => {
    const services = ["users", "worker", "users", "worker"];
    const dirs = await Promise.all(services.map(migrationsDir));
    const failures: string[] = [];
    for (let round = 0; round < 20; round++) {
      const url = freshDatabaseUrl();
      const pools = services.map(() => createSql(url, { max: 2 }));
      const results = await Promise.allSettled(
        services.map((service, i) => prepareDatabase(url, pools[i]!, { service, dir: dirs[i]!, adminUrl })),
      );
      for (const result of results) if (result.status === "rejected") failures.push(String(result.reason));
      const tables = await pools[0]!<{ name: string }[]>`
        select table_name as name from information_schema.tables where table_schema = 'public' order by 1`;
      expect(tables.map((t) => t.name)).toEqual(["schema_migrations", "users_items", "worker_items"]);
      await Promise.all(pools.map((sql) => sql.end()));
    }
    expect(failures).toEqual([]);
  }, 60_000);

  test("applies each migration once, and not again at the next start", async () => {
    const url = freshDatabaseUrl();
    const dir = await migrationsDir("users");
    const sql = createSql(url, { max: 2 });
    await prepareDatabase(url, sql, { service: "users", dir, adminUrl });
    await prepareDatabase(url, sql, { service: "users", dir, adminUrl });
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    expect(row!.n).toBe(1);
    await sql.end();
  });
});

describe("prepareDatabase with a role of the service's own", () => {
  test("creates the role and a database it owns, migrates it as that role, and changes nothing the second time", async () => {
    const { url, role } = freshServiceDatabase();
    const dir = await migrationsDir("users");
    const sql = createSql(url, { max: 2 });
    await prepareDatabase(url, sql, { service: "users", dir, adminUrl });
    await prepareDatabase(url, sql, { service: "users", dir, adminUrl });
    const [me] = await sql<{ user: string; owner: string; tables: string[]; migrations: number }[]>`
      select current_user as user, pg_get_userbyid(d.datdba) as owner,
             (select array_agg(tablename::text order by tablename) from pg_tables
               where schemaname = 'public' and tableowner = current_user) as tables,
             (select count(*)::int from schema_migrations) as migrations
        from pg_database d where d.datname = current_database()`;
    expect(me).toEqual({ user: role, owner: role, tables: ["schema_migrations", "users_items"], migrations: 1 });
    await sql.end();
  });

  test("the role can log in and nothing more: no superuser, no CREATEDB, no CREATEROLE, and CREATE DATABASE is refused", async () => {
    const { url, role } = freshServiceDatabase();
    const sql = createSql(url, { max: 1 });
    await prepareDatabase(url, sql, { service: "users", dir: await migrationsDir("users"), adminUrl });
    const [attributes] = await sql`
      select rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, rolreplication, rolbypassrls
        from pg_roles where rolname = ${role}`;
    expect(attributes).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolcanlogin: true,
      rolreplication: false,
      rolbypassrls: false,
    });
    expect(await errorCodeOf(() => sql.unsafe(`create database "${role}_more"`))).toBe("42501");
    expect(await errorCodeOf(() => sql.unsafe(`create role "${role}_more"`))).toBe("42501");
    await sql.end();
  });

  test("one service's role cannot connect to another's database, nor can any role that is not its owner", async () => {
    const users = freshServiceDatabase();
    const worker = freshServiceDatabase();
    for (const [service, database] of [
      ["users", users],
      ["worker", worker],
    ] as const) {
      const sql = createSql(database.url, { max: 1 });
      await prepareDatabase(database.url, sql, { service, dir: await migrationsDir(service), adminUrl });
      await sql.end();
    }
    // Each connects to its own, and is refused at the other's: permission denied for database (42501).
    expect(await errorCodeOf(() => connectTo(users.url, users.role))).toBe("none");
    expect(await errorCodeOf(() => connectTo(worker.url, worker.role))).toBe("none");
    expect(await errorCodeOf(() => connectTo(users.url, worker.role))).toBe("42501");
    expect(await errorCodeOf(() => connectTo(worker.url, users.role))).toBe("42501");
  });

  test("services and replicas starting together against a server without their roles or databases all start, 15 times over", async () => {
    const services = ["users", "worker", "users", "worker", "users", "worker"];
    const dirs = await Promise.all(services.map(migrationsDir));
    const failures: string[] = [];
    for (let round = 0; round < 15; round++) {
      const own = { users: freshServiceDatabase(), worker: freshServiceDatabase() };
      const urls = services.map((service) => own[service as keyof typeof own].url);
      const pools = urls.map((url) => createSql(url, { max: 1 }));
      const results = await Promise.allSettled(
        services.map((service, i) => prepareDatabase(urls[i]!, pools[i]!, { service, dir: dirs[i]!, adminUrl })),
      );
      for (const result of results) if (result.status === "rejected") failures.push(String(result.reason));
      for (const [i, service] of services.slice(0, 2).entries()) {
        const tables = await pools[i]!<{ name: string }[]>`
          select tablename as name from pg_tables where schemaname = 'public' and tableowner = current_user order by 1`;
        expect(tables.map((t) => t.name)).toEqual(["schema_migrations", `${service}_items`]);
      }
      await Promise.all(pools.map((sql) => sql.end()));
    }
    expect(failures).toEqual([]);
  }, 90_000);

  test("with no administrative connection it creates nothing: the operator makes the role and database", async () => {
    const { url, role } = freshServiceDatabase();
    const dir = await migrationsDir("worker");
    const sql = createSql(url, { max: 1 });
    // Nothing there yet: the role cannot log in (28000 on trust auth, 28P01 with passwords).
    expect(await errorCodeOf(() => prepareDatabase(url, sql, { service: "worker", dir, adminUrl: "" }))).toMatch(/^28/);
    await sql.end();
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role "${role}" login password 'pw-${role}'`);
    await admin.unsafe(`create database "${role}" owner "${role}"`);
    await admin.end();
    const again = createSql(url, { max: 1 });
    await prepareDatabase(url, again, { service: "worker", dir, adminUrl: "" });
    const [row] = await again<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
    expect(row!.n).toBe(1);
    await again.end();
  });
});

describe("checkMigrated", () => {
  test("passes once every migration of the folder is applied for the service", async () => {
    const url = freshDatabaseUrl();
    const dir = await migrationsDir("users");
    const sql = createSql(url, { max: 1 });
    await prepareDatabase(url, sql, { service: "users", dir, adminUrl });
    expect(await checkMigrated(sql, { service: "users", dir })).toBeUndefined();
    await sql.end();
  });

  test("refuses a database with no migrations table, or with another service's only, naming the missing ones", async () => {
    const url = freshDatabaseUrl();
    const sql = createSql(url, { max: 1 });
    await prepareDatabase(url, sql, { service: "worker", dir: await migrationsDir("worker"), adminUrl });
    await expect(checkMigrated(sql, { service: "users", dir: await migrationsDir("users") })).rejects.toThrow(
      "lacks migrations 0001_init.sql",
    );
    await sql.end();

    const empty = freshServiceDatabase();
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role "${empty.role}" login password 'pw-${empty.role}'`);
    await admin.unsafe(`create database "${empty.role}" owner "${empty.role}"`);
    await admin.end();
    const bare = createSql(empty.url, { max: 1 });
    await expect(checkMigrated(bare, { service: "users", dir: await migrationsDir("users") })).rejects.toThrow(
      "lacks migrations 0001_init.sql",
    );
    const [tables] = await bare<{ n: number }[]>`select count(*)::int as n from pg_tables where schemaname = 'public'`;
    expect(tables).toEqual({ n: 0 });
    await bare.end();
  });

  test("refuses a database a migration newer than its last one has not reached yet", async () => {
    const url = freshDatabaseUrl();
    const dir = await migrationsDir("users");
    const sql = createSql(url, { max: 1 });
    await prepareDatabase(url, sql, { service: "users", dir, adminUrl });
    await writeFile(join(dir, "0002_more.sql"), "create table users_more (id int primary key);");
    await expect(checkMigrated(sql, { service: "users", dir })).rejects.toThrow("lacks migrations 0002_more.sql");
    await sql.end();
  });
});
