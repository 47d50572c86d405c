import postgres from "postgres";
import { TEST_DATABASE_URL } from "./servers.ts";

/** The URL of a database no one has made yet (for first-start tests), and how to drop it once made. */
export function unusedTestDatabase(prefix = "w2meet_test"): { url: string; drop: () => Promise<void> } {
  const name = `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** A fresh database for one test file, dropped by `drop()`. */
export async function createTestDatabase(prefix = "w2meet_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = unusedTestDatabase(prefix);
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${new URL(database.url).pathname.slice(1)}"`);
  await admin.end();
  return database;
}

/**
 * A service's own role and database that nothing has created yet (for start-up tests), with a unique
 * name for both, the URL a service would connect with (as that role, with a password), and how to drop
 * both once made.
 */
export function unusedServiceDatabase(prefix = "w2meet_svc"): { url: string; role: string; drop: () => Promise<void> } {
  const role = `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  url.password = `pw-${role}`;
  url.pathname = `/${role}`;
  return {
    url: url.toString(),
    role,
    drop: async () => {
      const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${role}" with (force)`);
      await admin.unsafe(`drop role if exists "${role}"`);
      await admin.end();
    },
  };
}

/** The tables of the public schema that the role `url` connects as owns, by name, in the database it names. */
export async function tablesOwnedAt(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ name: string }[]>`
      select tablename as name from pg_tables where schemaname = 'public' and tableowner = current_user order by 1`;
    return rows.map((row) => row.name);
  } finally {
    await sql.end();
  }
}

/** The Postgres error code with which connecting to `url` (and running `select 1`) fails, or "none". */
export async function connectionErrorCode(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return "none";
  } catch (error) {
    return String((error as { code?: unknown }).code);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** What the role `url` connects as may do beyond logging in. */
export async function roleAttributesAt(url: string): Promise<Record<string, boolean>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Record<string, boolean>[]>`
      select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls from pg_roles where rolname = current_user`;
    return row!;
  } finally {
    await sql.end();
  }
}
