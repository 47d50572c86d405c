import {
  type AddressStatuses,
  type CreateUser,
  type DateException,
  DEFAULT_TIME_ZONE,
  EMAIL_PATTERN,
  type ReplaceUser,
  type User,
  type UserPage,
} from "@w2meet/contracts";
import { conflict, forbidden, invalid, type Principal, unauthorized } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import type postgres from "postgres";
import { canonicalZone, normalizeWeek, type Week } from "@w2meet/schedule";
import { hashPassword } from "../auth/passwords.ts";
import { recordPersonChanged } from "../events/outbox.ts";
import { availabilityJson, type AvailabilityCache, datesColumn } from "./cache.ts";
import type { InvalidationLedger } from "./invalidations.ts";
import { ifNeededWeek, weekErrors } from "./weeks.ts";

/** What the users functions work with; made once in app.ts. */
export type UsersDeps = { sql: Sql; inTime: Deadline; cache: AvailabilityCache; ledger: InvalidationLedger };

type UserRow = {
  email: string;
  name: string;
  availabilities: Week;
  if_needed: Week;
  time_zone: string;
  preference: User["preference"];
  password_hash: string | null;
  email_verified: boolean;
  version: string;
  created_at: Date;
  updated_at: Date;
};

/** A user's row with their dated exceptions (see `datesColumn`): what the cached availability is made of. */
type RowWithDates = UserRow & { dates: DateException[] };

const toUser = (row: UserRow): User => ({
  email: row.email,
  name: row.name,
  availabilities: normalizeWeek(row.availabilities),
  if_needed: normalizeWeek(row.if_needed),
  time_zone: row.time_zone,
  preference: row.preference,
  protected: row.password_hash !== null,
  email_verified: row.email_verified,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/**
 * Writes a user's new state (or tombstone) through to Redis after the commit, and settles the
 * invalidation the write recorded once Redis holds it; otherwise it is left for a replay, and every
 * replica is told to stop serving that user from the cache until then.
 */
export async function writeThrough({ cache, ledger }: UsersDeps, email: string, version: string, json: string | null): Promise<void> {
  const stored = json === null ? await cache.forget(email, version) : await cache.put(email, version, json);
  if (stored) await ledger.settle(email, version);
  else await ledger.announce(email);
}

const UNIQUE_VIOLATION = "23505";

/** Who asks for a write: their token's principal, if any, and the request's case id (carried by the events it causes). */
export type Caller = { principal?: Principal; caseId: string };

/** Who may change a profile: anyone while it is open, only its owner (by token) once it has a password. */
type Access = { email: string; password_hash: string | null; email_verified: boolean };

/** Throws the 401 or 403 problem unless `principal` may change (or delete) this profile. */
export function mayChange(user: Access, principal: Principal | undefined, doing: "change" | "delete"): void {
  if (user.password_hash === null) return;
  if (!principal) {
    throw unauthorized(`The profile of ${user.email} is protected: to ${doing} it, send a bearer token for it (POST /auth/token)`);
  }
  if (principal.email.toLowerCase() !== user.email) {
    throw forbidden(`The profile of ${user.email} is protected: only its owner may ${doing} it, and this token is not theirs`);
  }
}

function mayReplace(user: Access, input: ReplaceUser, principal: Principal | undefined): void {
  mayChange(user, principal, "change");
  // Anyone may change an open profile, so a password set through PUT would let anyone take it over once its
  // owner verified the address. An open profile takes a password only with the mailed code, which proves
  // the caller holds the address.
  if (user.password_hash === null && typeof input.password === "string") {
    throw forbidden(
      `The open profile of ${user.email} takes a password only with proof of its address, as its email is verified: ` +
        "ask for a code (POST /auth/verify-email) and give it with the password to POST /auth/verify-email/confirm",
    );
  }
}

/** A 400 naming every range of the weeks given that ends before it starts. */
function checkWeeks(input: Pick<CreateUser, "availabilities" | "if_needed">): void {
  const errors = [...weekErrors(input.availabilities, "availabilities"), ...weekErrors(input.if_needed, "if_needed")];
  if (errors.length) throw invalid(errors);
}

/**
 * Registers a person, with a password (a protected profile) or without; a taken email (in any letter case) is a 409.
 * The time zone is kept in the database's spelling; if-needed time that is also available is kept as available only.
 */
export async function createUser(deps: UsersDeps, input: CreateUser): Promise<User> {
  const { sql, inTime, ledger } = deps;
  checkWeeks(input);
  const email = input.email.toLowerCase();
  const availabilities = normalizeWeek(input.availabilities ?? {});
  const ifNeeded = ifNeededWeek(input.if_needed ?? {}, availabilities);
  const zone = canonicalZone(input.time_zone ?? DEFAULT_TIME_ZONE);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    const row = await inTime.transaction(sql, async (tx) => {
      const [row] = await tx<RowWithDates[]>`
        insert into users as u (email, name, availabilities, if_needed, time_zone, preference, password_hash)
        values (${email}, ${input.name}, ${tx.json(availabilities)}, ${tx.json(ifNeeded)}, ${zone},
          ${input.preference ?? "first"}, ${passwordHash})
        returning u.*, ${datesColumn(tx)}`;
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

/** A profile as a write finds it: who may change it, and what a write keeps of it. */
type Locked = Access & { id: string; time_zone: string; if_needed: Week; availabilities: Week };

/** The profile, locked until the transaction ends, so that the writes of one person are made one at a time. */
export const lockedProfileOf = (tx: postgres.TransactionSql, email: string) =>
  tx<Locked[]>`
    select id, email, password_hash, email_verified, time_zone, if_needed, availabilities
    from users where lower(email) = ${email} for update`;

/** Whether a write changed when the person can meet: their week, if-needed week or time zone. */
const availabilityChanged = (before: Locked, after: UserRow) =>
  before.time_zone !== after.time_zone ||
  !Bun.deepEquals(before.availabilities, after.availabilities) ||
  !Bun.deepEquals(before.if_needed, after.if_needed);

/**
 * Gives the user a new version within the write's transaction (one that changed their dated availability),
 * records that the cache must come to hold it and that the person changed (a `person.changed` event);
 * answers the user's new state, which the caller writes through (see `writeThrough`) after the commit.
 */
export async function newVersionOf(deps: UsersDeps, tx: postgres.TransactionSql, id: string, caseId: string): Promise<RowWithDates> {
  const [row] = await tx<RowWithDates[]>`
    update users u set version = nextval('user_version_seq'), updated_at = now()
    where u.id = ${id}
    returning u.*, ${datesColumn(tx)}`;
  await deps.ledger.record(tx, row!.email, row!.version);
  await recordPersonChanged(tx, row!, caseId);
  return row!;
}

/**
 * Replaces a user's name, week, preference and (when given) if-needed week, time zone and password; null when
 * unknown. A protected profile needs its owner's token. The cache holds the new state before it returns; a
 * change of when they can meet is a `person.changed` event, recorded with the write.
 */
export async function replaceUser(deps: UsersDeps, email: string, input: ReplaceUser, { principal, caseId }: Caller): Promise<User | null> {
  const { sql, inTime, ledger } = deps;
  checkWeeks(input);
  const key = email.toLowerCase();
  const availabilities = normalizeWeek(input.availabilities);
  const zone = input.time_zone === undefined ? undefined : canonicalZone(input.time_zone);
  // A new password is hashed (the costly part) only for a caller allowed to set it, and outside the transaction.
  let passwordHash: string | null | undefined = input.password === null ? null : undefined;
  if (typeof input.password === "string") {
    const [user] = await inTime(sql<Access[]>`select email, password_hash, email_verified from users where lower(email) = ${key}`);
    if (!user) return null;
    mayReplace(user, input, principal);
    passwordHash = await hashPassword(input.password);
  }
  const row = await inTime.transaction(sql, async (tx) => {
    const [user] = await lockedProfileOf(tx, key);
    if (!user) return undefined;
    mayReplace(user, input, principal);
    // Absent, the if-needed week and the zone stay, so a client that does not know them resets nothing.
    const ifNeeded = ifNeededWeek(input.if_needed ?? user.if_needed, availabilities);
    const [row] = await tx<RowWithDates[]>`
      update users u set name = ${input.name}, availabilities = ${tx.json(availabilities)},
        if_needed = ${tx.json(ifNeeded)}, time_zone = ${zone ?? user.time_zone},
        preference = ${input.preference}, version = nextval('user_version_seq'), updated_at = now()
        ${passwordHash === undefined ? tx`` : tx`, password_hash = ${passwordHash}`}
      where u.id = ${user.id}
      returning u.*, ${datesColumn(tx)}`;
    await ledger.record(tx, row!.email, row!.version);
    if (availabilityChanged(user, row!)) await recordPersonChanged(tx, row!, caseId);
    return row;
  });
  if (!row) return null;
  await writeThrough(deps, row.email, row.version, availabilityJson(row));
  return toUser(row);
}

/**
 * Deletes a user (a protected one only with its owner's token); false when unknown. The cache forgets them
 * before it returns; the deletion is a `person.changed` event, recorded with it.
 */
export async function deleteUser(deps: UsersDeps, email: string, { principal, caseId }: Caller): Promise<boolean> {
  const { sql, inTime, ledger } = deps;
  const key = email.toLowerCase();
  const row = await inTime.transaction(sql, async (tx) => {
    const [user] = await lockedProfileOf(tx, key);
    if (!user) return undefined;
    mayChange(user, principal, "delete");
    const [row] = await tx<{ email: string; version: string }[]>`
      delete from users where lower(email) = ${key}
      returning email, nextval('user_version_seq')::text as version`;
    await tx`delete from email_verifications where email = ${row!.email}`;
    await ledger.record(tx, row!.email, row!.version);
    await recordPersonChanged(tx, row!, caseId);
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
  const [row] = await inTime(sql<RowWithDates[]>`
    select u.email, u.availabilities, u.if_needed, u.time_zone, u.preference, u.version, ${datesColumn(sql)}
    from users u where lower(u.email) = ${key}`);
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
    const rows = await inTime(sql<RowWithDates[]>`
      select u.email, u.availabilities, u.if_needed, u.time_zone, u.preference, u.version, ${datesColumn(sql)}
      from users u where lower(u.email) = any(${misses})`);
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

/** Whether each of a group's addresses is verified, in the order asked; unknown emails in `missing`. */
export async function readAddressStatuses({ sql, inTime }: UsersDeps, emails: readonly string[]): Promise<AddressStatuses> {
  const rows = await inTime(sql<{ email: string; email_verified: boolean }[]>`
    select email, email_verified from users where lower(email) = any(${emails as string[]})`);
  const verified = new Map(rows.map((row) => [row.email, row.email_verified]));
  const users: AddressStatuses["users"] = [];
  const missing: string[] = [];
  for (const email of emails) {
    const status = verified.get(email);
    if (status === undefined) missing.push(email);
    else users.push({ email, email_verified: status });
  }
  return { users, missing };
}

/**
 * Marks an address verified, within the caller's transaction, and protects an open profile with
 * `passwordHash` when one is given; undefined when no user has it.
 */
export async function markEmailVerified(tx: postgres.TransactionSql, email: string, passwordHash?: string): Promise<User | undefined> {
  const [row] = await tx<UserRow[]>`
    update users set email_verified = true, updated_at = now()
      ${passwordHash === undefined ? tx`` : tx`, password_hash = coalesce(password_hash, ${passwordHash})`}
    where lower(email) = ${email} returning *`;
  return row && toUser(row);
}
