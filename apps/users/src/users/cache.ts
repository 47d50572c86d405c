import type { RedisClient } from "bun";
import { errorFields, withTimeout, type Logger } from "@w2meet/kit";

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

/** Redis commands give up after this long, so a stalled Redis degrades to Postgres instead of hanging. */
const COMMAND_TIMEOUT_MS = 250;

/** What the cache knows of one user: their availability JSON, or nothing (miss, tombstone, Redis down). */
export type CachedAvailability = string | null;

/**
 * Cache-aside store of users' availability answers in Redis. Every failure of Redis degrades to a
 * miss (reads) or a logged no-op (writes): Postgres stays the truth and keeps answering.
 */
export function createAvailabilityCache(options: { redis: RedisClient; prefix: string; ttlSeconds: number; logger: Logger }) {
  const { redis, prefix, ttlSeconds, logger } = options;
  const key = (email: string) => `${prefix}user:${email}:availability`;
  let lastWarning = -Infinity;
  const degrade = (operation: string, error: unknown) => {
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
  const timely = <T>(command: Promise<T>) => withTimeout(command, COMMAND_TIMEOUT_MS, `redis did not answer within ${COMMAND_TIMEOUT_MS} ms`);
  const putIfNewer = (email: string, version: bigint | number | string, json: string) =>
    timely(redis.send("EVAL", [PUT_IF_NEWER, "1", key(email), String(version), json, String(ttlSeconds)]));

  return {
    async get(email: string): Promise<CachedAvailability> {
      try {
        return payloadOf(await timely(redis.get(key(email))));
      } catch (error) {
        degrade("get", error);
        return null;
      }
    },
    async getMany(emails: readonly string[]): Promise<CachedAvailability[]> {
      try {
        return ((await timely(redis.send("MGET", emails.map(key)))) as (string | null)[]).map(payloadOf);
      } catch (error) {
        degrade("mget", error);
        return emails.map(() => null);
      }
    },
    /** Stores a user's availability JSON unless a newer version is held. */
    async put(email: string, version: bigint | number | string, json: string): Promise<void> {
      try {
        await putIfNewer(email, version, json);
      } catch (error) {
        degrade("put", error);
      }
    },
    /** Marks a user deleted at `version`, so no older fill can bring them back. */
    async forget(email: string, version: bigint | number | string): Promise<void> {
      try {
        await putIfNewer(email, version, "");
      } catch (error) {
        degrade("forget", error);
      }
    },
    ping: () => timely(redis.send("PING", [])),
  };
}
export type AvailabilityCache = ReturnType<typeof createAvailabilityCache>;
