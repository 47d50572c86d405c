import type { CreateUser, ReplaceUser, User, UserPage } from "@w2meet/contracts";
import { conflict } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import { normalizeWeek, type Week } from "@w2meet/schedule";
import type { AvailabilityCache } from "./cache.ts";

/** What the users functions work with; made once in app.ts. */
export type UsersDeps = { sql: Sql; cache: AvailabilityCache };

type UserRow = {
  email: string;
  name: string;
  availabilities: Week;
  preference: User["preference"];
  version: string;
  created_at: Date;
  updated_at: Date;
};

const toUser = (row: UserRow): User => ({
  email: row.email,
  name: row.name,
  availabilities: normalizeWeek(row.availabilities),
  preference: row.preference,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/** The JSON of one person's availability answer, as cached and as served (jsonb keeps no key order: restore the week's). */
const availabilityJson = (row: Pick<UserRow, "email" | "availabilities" | "preference">) =>
  JSON.stringify({ email: row.email, availabilities: normalizeWeek(row.availabilities), preference: row.preference });

const UNIQUE_VIOLATION = "23505";

/** Registers a person; a taken email (in any letter case) is a 409. */
export async function createUser({ sql, cache }: UsersDeps, input: CreateUser): Promise<User> {
  const email = input.email.toLowerCase();
  const availabilities = normalizeWeek(input.availabilities ?? {});
  try {
    const [row] = await sql<UserRow[]>`
      insert into users (email, name, availabilities, preference)
      values (${email}, ${input.name}, ${sql.json(availabilities)}, ${input.preference ?? "first"})
      returning *`;
    await cache.put(email, row!.version, availabilityJson(row!));
    return toUser(row!);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw conflict(`The email ${email} is already registered`);
    throw error;
  }
}

export async function getUser({ sql }: UsersDeps, email: string): Promise<User | null> {
  const [row] = await sql<UserRow[]>`select * from users where lower(email) = ${email.toLowerCase()}`;
  return row ? toUser(row) : null;
}

const encodeCursor = (email: string) => Buffer.from(email).toString("base64url");
const decodeCursor = (cursor: string) => Buffer.from(cursor, "base64url").toString();

/** A page of users ordered by email; `next_cursor` continues after the last one. */
export async function listUsers({ sql }: UsersDeps, page: { limit: number; cursor?: string }): Promise<UserPage> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await sql<UserRow[]>`
    select * from users
    where ${after === null ? sql`true` : sql`lower(email) > ${after}`}
    order by lower(email) limit ${page.limit + 1}`;
  const more = rows.length > page.limit;
  const users = rows.slice(0, page.limit).map(toUser);
  return { users, next_cursor: more ? encodeCursor(users.at(-1)!.email) : null };
}

/** Replaces a user's name, week and preference; null when unknown. The cache holds the new state before it returns. */
export async function replaceUser({ sql, cache }: UsersDeps, email: string, input: ReplaceUser): Promise<User | null> {
  const [row] = await sql<UserRow[]>`
    update users set name = ${input.name}, availabilities = ${sql.json(normalizeWeek(input.availabilities))},
      preference = ${input.preference}, version = nextval('user_version_seq'), updated_at = now()
    where lower(email) = ${email.toLowerCase()}
    returning *`;
  if (!row) return null;
  await cache.put(row.email, row.version, availabilityJson(row));
  return toUser(row);
}

/** Deletes a user; false when unknown. The cache forgets them before it returns. */
export async function deleteUser({ sql, cache }: UsersDeps, email: string): Promise<boolean> {
  const [row] = await sql<{ email: string; version: string }[]>`
    delete from users where lower(email) = ${email.toLowerCase()}
    returning email, nextval('user_version_seq')::text as version`;
  if (!row) return false;
  await cache.forget(row.email, row.version);
  return true;
}

/** One person's availability JSON, from the cache when it holds it (cache-aside). */
export async function readAvailability({ sql, cache }: UsersDeps, email: string): Promise<{ json: string; hit: boolean } | null> {
  const key = email.toLowerCase();
  const cached = await cache.get(key);
  if (cached) return { json: cached, hit: true };
  const [row] = await sql<UserRow[]>`
    select email, availabilities, preference, version from users where lower(email) = ${key}`;
  if (!row) return null;
  const json = availabilityJson(row);
  await cache.put(row.email, row.version, json);
  return { json, hit: false };
}

/**
 * The availability of a group in one answer: the cached part in one Redis round trip, the rest in
 * one query. Found people keep the order asked; unknown emails are listed in `missing`.
 */
export async function readGroupAvailability({ sql, cache }: UsersDeps, emails: readonly string[]): Promise<string> {
  const cached = await cache.getMany(emails);
  const misses = emails.filter((_, i) => cached[i] === null);
  const found = new Map<string, string>();
  if (misses.length) {
    const rows = await sql<UserRow[]>`
      select email, availabilities, preference, version from users where lower(email) = any(${misses})`;
    await Promise.all(
      rows.map((row) => {
        const json = availabilityJson(row);
        found.set(row.email, json);
        return cache.put(row.email, row.version, json);
      }),
    );
  }
  const users: string[] = [];
  const missing: string[] = [];
  emails.forEach((email, i) => {
    const json = cached[i] ?? found.get(email);
    if (json) users.push(json);
    else missing.push(email);
  });
  // The cached entries are already JSON: splice them in rather than parse and re-serialise.
  return `{"users":[${users.join(",")}],"missing":${JSON.stringify(missing)}}`;
}
