import type { RedisClient } from "bun";
import { ProblemError, withTimeout } from "@w2meet/kit";

// Failed logins are counted in Redis, per email and per client IP, in a window that starts with the
// first failure. A login takes its place in both counts before its password is checked (so a burst of
// parallel guesses cannot all slip past the limit) and gives it back when it succeeds.

// KEYS: the email's count, the IP's count. ARGV: window (ms), the email's limit, the IP's limit.
// Answers {0, 0} when the attempt may go on (both counts taken), else {which count is full, its ms left}.
const RESERVE = `
local limits = { tonumber(ARGV[2]), tonumber(ARGV[3]) }
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= limits[i] then
    local left = redis.call('PTTL', KEYS[i])
    if left < 0 then
      redis.call('PEXPIRE', KEYS[i], ARGV[1])
      left = tonumber(ARGV[1])
    end
    return { i, left }
  end
end
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
return { 0, 0 }`;

// A login that succeeded: the email's failures are forgiven, the IP's count gets this attempt back.
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1`;

// An attempt that was not a guess (the database failed it): both counts get it back.
const RELEASE = `
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1`;

const COMMAND_TIMEOUT_MS = 250;

export type LoginLimits = { perEmail: number; perIp: number; windowSeconds: number };

/** One login's place in the counts, to give back with `succeeded` or `release`. */
export type LoginAttempt = { keys: [string, string] };

/** The failed-login counters. Without Redis no login is let through: 503 (the rest of the service works on). */
export function createLoginThrottle(options: { redis: RedisClient; prefix: string; limits: LoginLimits }) {
  const { redis, prefix, limits } = options;
  const run = async (script: string, keys: string[], args: (string | number)[]) => {
    try {
      return await withTimeout(
        redis.send("EVAL", [script, String(keys.length), ...keys, ...args.map(String)]),
        COMMAND_TIMEOUT_MS,
        `redis did not answer within ${COMMAND_TIMEOUT_MS} ms`,
      );
    } catch {
      throw new ProblemError(
        "unavailable",
        "Logins are unavailable for now: the store of failed attempts cannot be reached",
        {},
        {
          "retry-after": "5",
        },
      );
    }
  };
  return {
    /** Takes the attempt's place in both counts, or answers 429 (with Retry-After) when either is full. */
    async begin(email: string, clientIp: string): Promise<LoginAttempt> {
      const keys: [string, string] = [`${prefix}login:email:${email}`, `${prefix}login:ip:${clientIp.slice(0, 100)}`];
      const [full, leftMs] = (await run(RESERVE, keys, [limits.windowSeconds * 1000, limits.perEmail, limits.perIp])) as [number, number];
      if (full === 0) return { keys };
      const retryAfter = String(Math.max(1, Math.ceil(leftMs / 1000)));
      const what = full === 1 ? "for this email" : "from this address";
      throw new ProblemError(
        "too_many_requests",
        `Too many failed logins ${what}; try again in ${retryAfter} s`,
        {},
        { "retry-after": retryAfter },
      );
    },
    /** The login succeeded: forget the email's failures and give the IP's count its place back. */
    succeeded: (attempt: LoginAttempt) => run(SUCCEEDED, attempt.keys, []).catch(() => {}),
    /** The attempt ended in neither success nor failure (e.g. the database was down): give both places back. */
    release: (attempt: LoginAttempt) => run(RELEASE, attempt.keys, []).catch(() => {}),
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
