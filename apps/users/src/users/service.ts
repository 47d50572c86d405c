import { EMAIL_PATTERN, type CreateUser, type ReplaceUser, type User, type UserPage } from "@w2meet/contracts";
import { conflict, invalid } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import { normalizeWeek, type Week } from "@w2meet/schedule";
import { availabilityJson, type AvailabilityCache } from "./cache.ts";
import type { InvalidationLedger } from "./invalidations.ts";

/** What the users functions work with; made once in app.ts. */
export type UsersDeps = { sql: Sql; inTime: Deadline; cache: AvailabilityCache; ledger: InvalidationLedger };

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

/**
 * Writes a user's new state (or tombstone) through to Redis after the commit, and settles the
 * invalidation the write recorded once Redis holds it; otherwise it is left for a replay, and every
 * replica is told to stop serving that user from the cache until then.
 */
async function writeThrough({ cache, ledger }: UsersDeps, email: string, version: string, json: string | null): Promise<void> {
  const stored = json === null ? await cache.forget(email, version) : await cache.put(email, version, json);
  if (stored) await ledger.settle(email, version);
  else await ledger.announce(email);
}

const UNIQUE_VIOLATION = "23505";

/** Registers a person; a taken email (in any letter case) is a 409. */
export async function createUser(deps: UsersDeps, input: CreateUser): Promise<User> {
  const { sql, inTime, ledger } = deps;
  const email = input.email.toLowerCase();
  const availabilities = normalizeWeek(input.availabilities ?? {});
  try {
    const row = await inTime.transaction(sql, async (tx) => {
      const [row] = await tx<UserRow[]>`
        insert into users (email, name, availabilities, preference)
        values (${email}, ${input.name}, ${tx.json(availabilities)}, ${input.preference ?? "first"})
        returning *`;
      await ledger.record(tx, email, row!.version);
      return row!;
    });
    await writeThrough(deps, email, row.version, availabilityJson(row));
    return toUser(row);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw conflict(`The email ${email} is already registered`);
    throw error;
  }
}

export async function getUser({ sql, inTime }: UsersDeps, email: string): Promise<User | null> {
  const [row] = await inTime(sql<UserRow[]>`select * from users where lower(email) = ${email.toLowerCase()}`);
  return row ? toUser(row) : null;
}

const encodeCursor = (email: string) => Buffer.from(email).toString("base64url");

/**
 * The email a cursor continues after. Only a cursor this service made is taken: it must encode an
 * email exactly as `encodeCursor` does (Buffer's decoder skips characters it does not know, so text
 * that merely decodes is not enough), which also keeps control characters away from Postgres.
 */
function decodeCursor(cursor: string): string {
  const email = Buffer.from(cursor, "base64url").toString();
  if (email.length > 254 || !EMAIL_PATTERN.test(email) || encodeCursor(email) !== cursor) {
    throw invalid([{ path: "cursor", message: "Not a cursor of this list: pass the next_cursor of the previous page" }]);
  }
  return email;
}

/** A page of users ordered by email; `next_cursor` continues after the last one. */
export async function listUsers({ sql, inTime }: UsersDeps, page: { limit: number; cursor?: string }): Promise<UserPage> {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await inTime(sql<UserRow[]>`
    select * from users
    where ${after === null ? sql`true` : sql`lower(email) > ${after}`}
    order by lower(email) limit ${page.limit + 1}`);
  const more = rows.length > page.limit;
  const users = rows.slice(0, page.limit).map(toUser);
  return { users, next_cursor: more ? encodeCursor(users.at(-1)!.email) : null };
}

/** Replaces a user's name, week and preference; null when unknown. The cache holds the new state before it returns. */
export async function replaceUser(deps: UsersDeps, email: string, input: ReplaceUser): Promise<User | null> {
  const { sql, inTime, ledger } = deps;
  const row = await inTime.transaction(sql, async (tx) => {
    const [row] = await tx<UserRow[]>`
      update users set name = ${input.name}, availabilities = ${tx.json(normalizeWeek(input.availabilities))},
        preference = ${input.preference}, version = nextval('user_version_seq'), updated_at = now()
      where lower(email) = ${email.toLowerCase()}
      returning *`;
    if (row) await ledger.record(tx, row.email, row.version);
    return row;
  });
  if (!row) return null;
  await writeThrough(deps, row.email, row.version, availabilityJson(row));
  return toUser(row);
}

/** Deletes a user; false when unknown. The cache forgets them before it returns. */
export async function deleteUser(deps: UsersDeps, email: string): Promise<boolean> {
  const { sql, inTime, ledger } = deps;
  const row = await inTime.transaction(sql, async (tx) => {
    const [row] = await tx<{ email: string; version: string }[]>`
      delete from users where lower(email) = ${email.toLowerCase()}
      returning email, nextval('user_version_seq')::text as version`;
    if (row) await ledger.record(tx, row.email, row.version);
    return row;
  });
  if (!row) return false;
  await writeThrough(deps, row.email, row.version, null);
  return true;
}

/** One person's availability JSON, from the cache when it holds it and may be trusted (cache-aside). */
export async function readAvailability(deps: UsersDeps, email: string): Promise<{ json: string; hit: boolean } | null> {
  const { sql, inTime, cache, ledger } = deps;
  const key = email.toLowerCase();
  const cacheable = ledger.mayServe(key);
  const cached = cacheable ? await cache.get(key) : null;
  if (cached) return { json: cached, hit: true };
  const [row] = await inTime(sql<UserRow[]>`
    select email, availabilities, preference, version from users where lower(email) = ${key}`);
  if (!row) return null;
  const json = availabilityJson(row);
  if (cacheable) await cache.put(row.email, row.version, json);
  return { json, hit: false };
}

/**
 * The availability of a group in one answer: the cached part in one Redis round trip, the rest in
 * one query. Found people keep the order asked; unknown emails are listed in `missing`.
 */
export async function readGroupAvailability({ sql, inTime, cache, ledger }: UsersDeps, emails: readonly string[]): Promise<string> {
  const cacheable = emails.filter((email) => ledger.mayServe(email));
  const entries = cacheable.length ? await cache.getMany(cacheable) : [];
  const cached = new Map<string, string>();
  for (const [i, email] of cacheable.entries()) {
    const entry = entries[i];
    if (entry) cached.set(email, entry);
  }
  const misses = emails.filter((email) => !cached.has(email));
  const found = new Map<string, string>();
  if (misses.length) {
    const rows = await inTime(sql<UserRow[]>`
      select email, availabilities, preference, version from users where lower(email) = any(${misses})`);
    await Promise.all(
      rows.map((row) => {
        const json = availabilityJson(row);
        found.set(row.email, json);
        return ledger.mayServe(row.email) ? cache.put(row.email, row.version, json) : undefined;
      }),
    );
  }
  const users: string[] = [];
  const missing: string[] = [];
  for (const email of emails) {
    const json = cached.get(email) ?? found.get(email);
    if (json) users.push(json);
    else missing.push(email);
  }
  // The cached entries are already JSON: splice them in rather than parse and re-serialise.
  return `{"users":[${users.join(",")}],"missing":${JSON.stringify(missing)}}`;
}
