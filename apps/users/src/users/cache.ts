import type { RedisClient } from "bun";
import { DEFAULT_TIME_ZONE, type UserAvailability } from "@w2meet/contracts";
import { errorFields, type Logger } from "@w2meet/kit";
import { dayNumber, localDay, normalizeWeek } from "@w2meet/schedule";
import type postgres from "postgres";

// Entries are "<version>|<json>"; a tombstone (deleted user) is "<version>|". The script keeps an
// entry only when it is newer than the one held, so writes and late cache fills cannot reorder.
const PUT_IF_NEWER = `
local held = redis.call('GET', KEYS[1])
if held then
  local version = tonumber(string.match(held, '^(%d+)|'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
return 1`;

/**
 * The dated exceptions of a person as a column of a query over `users u`: those from two UTC days ago on
 * (yesterday in every zone, and maybe one day more), dates ascending, in the answered form.
 */
export const datesColumn = (q: postgres.Sql | postgres.TransactionSql) => q`
  coalesce((
    select json_agg(json_build_object('date', d.date, 'available', d.available, 'if_needed', d.if_needed) order by d.date)
    from user_dates d
    where d.user_id = u.id and d.date >= (now() at time zone 'UTC')::date - 2
  ), '[]') as dates`;

/**
 * The JSON of one person's availability answer, as cached and as served (jsonb keeps no key order: restore the
 * weeks'), with their exceptions from yesterday on in their zone. A cached answer keeps the exceptions it was
 * made with until the next write or its expiry: one of yesterday may stay in it a while, which the scheduling
 * services ignore as they look at today on.
 */
export const availabilityJson = (row: Required<UserAvailability>, now = Date.now()) => {
  const yesterday = localDay(row.time_zone, now) - 1;
  const ifNeeded = normalizeWeek(row.if_needed);
  const dates = row.dates.filter((exception) => dayNumber(exception.date) >= yesterday);
  // Only what the person uses: someone in UTC with weekly hours alone is answered as before zones existed.
  return JSON.stringify({
    email: row.email,
    availabilities: normalizeWeek(row.availabilities),
    ...(Object.values(ifNeeded).some((day) => day.length > 0) && { if_needed: ifNeeded }),
    ...(row.time_zone !== DEFAULT_TIME_ZONE && { time_zone: row.time_zone }),
    ...(dates.length > 0 && { dates }),
    preference: row.preference,
  });
};

/** What the cache knows of one user: their availability JSON, or nothing (miss, tombstone, Redis down). */
export type CachedAvailability = string | null;

/**
 * Cache-aside store of users' availability answers in Redis. Every failure of Redis degrades to a
 * miss (reads) or a `false` (writes): Postgres stays the truth and keeps answering. `failures` counts
 * them, so the invalidation ledger can tell that Redis may have missed a write since it last checked.
 */
export function createAvailabilityCache(options: { redis: RedisClient; prefix: string; ttlSeconds: number; logger: Logger }) {
  const { redis, prefix, ttlSeconds, logger } = options;
  const key = (email: string) => `${prefix}user:${email}:availability`;
  let failures = 0;
  let onFailure = () => {};
  let lastWarning = -Infinity;
  const degrade = (operation: string, error: unknown) => {
    failures++;
    onFailure();
    // One line a second at most while Redis is down, not one per request.
    if (performance.now() - lastWarning > 1000) {
      lastWarning = performance.now();
      logger.warn("cache unavailable", { operation, ...errorFields(error), stack: undefined });
    }
  };
  const payloadOf = (entry: string | null | undefined): CachedAvailability => {
    if (!entry) return null;
    const json = entry.slice(entry.indexOf("|") + 1);
    return json || null;
  };
  /**
   * One command; a failure is counted, logged and thrown on. A Redis that answers nothing fails it too,
   * within 250 ms: the connection is dropped (`createRedis` in clients.ts), not each command timed.
   */
  const command = <T>(operation: string, sent: () => Promise<T>): Promise<T> => {
    let answer: Promise<T>;
    try {
      answer = sent();
    } catch (error) {
      answer = Promise.reject(error);
    }
    return answer.then(undefined, (error) => {
      degrade(operation, error);
      throw error;
    });
  };
  const miss = () => null;
  const putIfNewer = (operation: string, email: string, version: bigint | number | string, json: string) =>
    command(operation, () => redis.send("EVAL", [PUT_IF_NEWER, "1", key(email), String(version), json, String(ttlSeconds)]));
  const succeeded = (attempt: Promise<unknown>) =>
    attempt.then(
      () => true,
      () => false,
    );

  return {
    /** How many Redis commands have failed so far. */
    get failures() {
      return failures;
    },
    /** Calls `listener` after every failed command (one listener: the invalidation ledger). */
    onFailure(listener: () => void) {
      onFailure = listener;
    },
    // Not `async`: a cache hit waits on as few promises as it can, and a failure is a miss.
    get: (email: string): Promise<CachedAvailability> => command("get", () => redis.get(key(email))).then(payloadOf, miss),
    getMany: (emails: readonly string[]): Promise<CachedAvailability[]> =>
      command("mget", () => redis.send("MGET", emails.map(key)) as Promise<(string | null)[]>).then(
        (entries) => entries.map(payloadOf),
        () => emails.map(miss),
      ),
    /** Stores a user's availability JSON unless a newer version is held; false when Redis did not answer. */
    put: (email: string, version: bigint | number | string, json: string): Promise<boolean> =>
      succeeded(putIfNewer("put", email, version, json)),
    /** Marks a user deleted at `version`, so no older fill can bring them back; false when Redis did not answer. */
    forget: (email: string, version: bigint | number | string): Promise<boolean> => succeeded(putIfNewer("forget", email, version, "")),
    ping: () => command("ping", () => redis.send("PING", [])),
  };
}
export type AvailabilityCache = ReturnType<typeof createAvailabilityCache>;
