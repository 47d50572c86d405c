import { DAYS, offsetAt, seededRandom } from "../packages/schedule/src/index.ts";

const PREFERENCES = ["first", "last", "random"] as const;

/**
 * The zones benchmark users live in, user i in zone i % 20: whole-hour, half-hour and quarter-hour offsets,
 * both hemispheres' daylight saving time, and none.
 */
export const BENCH_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Helsinki",
  "Europe/Moscow",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Adelaide",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
  "Pacific/Honolulu",
  "America/Anchorage",
  "America/Los_Angeles",
  "America/Denver",
  "America/New_York",
  "America/Sao_Paulo",
] as const;

/** The email of benchmark user `index`, as the k6 scripts name them (k6/lib/bench.js). */
export const benchEmail = (prefix: string, index: number) => `${prefix}${String(index).padStart(3, "0")}@w2meet.test`;

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/** Everyone is free at this time, Wednesday 10:00–12:00 UTC, as minutes of a week from Monday 00:00. */
const SHARED_START = 2 * DAY_MINUTES + 10 * 60;
const SHARED_MINUTES = 120;
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * A working week drawn from `random`: each hour from 08:00 to 19:00 local time free with probability 0.6, plus
 * Wednesday 10:00–12:00 UTC free for everyone whatever their zone (as it falls on their clock now), so that even
 * a group of 100 in 20 zones has time in common.
 */
function benchWeek(random: () => number, zone: string): Record<string, (number | string)[]> {
  const week = Object.fromEntries(
    DAYS.map((day) => {
      const hours: (number | string)[] = [];
      for (let hour = 8; hour < 20; hour++) if (random() < 0.6) hours.push(hour);
      return [day, hours];
    }),
  );
  let start = (((SHARED_START + offsetAt(zone, Date.now())) % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  for (let left = SHARED_MINUTES; left > 0; ) {
    const day = Math.floor(start / DAY_MINUTES);
    const from = start - day * DAY_MINUTES;
    const length = Math.min(left, DAY_MINUTES - from);
    week[DAYS[day]!]!.push(`${hhmm(from)}-${hhmm(from + length)}`);
    left -= length;
    start = (start + length) % WEEK_MINUTES;
  }
  return week;
}

/**
 * Registers `count` benchmark users through the users API (POST /users, or PUT when one is left over
 * from an earlier run), the same users with the same weeks every time, then reads each one's
 * availability so that the cache is warm.
 */
export async function seedUsers(usersUrl: string, options: { count: number; prefix: string; concurrency?: number }) {
  const random = seededRandom(`w2meet-bench-${options.count}`);
  const users = Array.from({ length: options.count }, (_, i) => ({
    email: benchEmail(options.prefix, i),
    name: `Bench user ${i}`,
    availabilities: benchWeek(random, BENCH_ZONES[i % BENCH_ZONES.length]!),
    time_zone: BENCH_ZONES[i % BENCH_ZONES.length]!,
    preference: PREFERENCES[i % PREFERENCES.length]!,
  }));
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${usersUrl}${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    await response.body?.cancel();
    return response.status;
  };
  const seedOne = async ({ email, ...rest }: (typeof users)[number]) => {
    const created = await send("POST", "/users", { email, ...rest });
    if (created === 409 && (await send("PUT", `/users/${email}`, rest)) === 200) return;
    if (created !== 201 && created !== 409) throw new Error(`POST /users for ${email} answered ${created}`);
  };
  const warmOne = async ({ email }: (typeof users)[number]) => {
    const status = await send("GET", `/users/${email}/availability`);
    if (status !== 200) throw new Error(`GET /users/${email}/availability answered ${status}`);
  };
  for (const step of [seedOne, warmOne]) {
    const queue = [...users];
    await Promise.all(
      Array.from({ length: options.concurrency ?? 16 }, async () => {
        for (let user = queue.shift(); user; user = queue.shift()) await step(user);
      }),
    );
  }
}

/**
 * A bearer token of a protected benchmark user made for it (registered with a password on first use),
 * from the users service's own POST /auth/token.
 */
export async function benchToken(usersUrl: string, prefix: string): Promise<string> {
  const email = `${prefix}token@w2meet.test`;
  const password = "bench-token-password";
  const created = await fetch(`${usersUrl}/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, name: "Token bench", password }),
  });
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`could not register ${email}: ${created.status} ${await created.text()}`);
  const answer = await fetch(`${usersUrl}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!answer.ok) throw new Error(`could not get a token for ${email}: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { access_token: string }).access_token;
}
