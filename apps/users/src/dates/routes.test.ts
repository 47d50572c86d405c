// Dated exceptions: their routes, the window of dates a person may change, the limit per person, and how
// they reach the availability reads (through the cache too, with no stale read), against real Postgres and Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { MAX_DATE_EXCEPTIONS, MAX_DAYS_AHEAD } from "@w2meet/contracts";
import { dateOf, localDay } from "@w2meet/schedule";
import { jsonRequest } from "@w2meet/testing";
import { clearCache, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let one: ReturnType<typeof usersApp>;
let two: ReturnType<typeof usersApp>;
const prefix = uniquePrefix();

beforeAll(async () => {
  db = await usersDatabase();
  // Two replicas sharing Redis: what one writes, the other must read at once.
  one = usersApp({ sql: db.sql, prefix });
  two = usersApp({ sql: db.sql, prefix });
  await Promise.all([one.cacheReady(), two.cacheReady()]);
});
afterAll(async () => {
  await clearCache(one.redis, prefix);
  await Promise.all([one.close(), two.close()]);
  await db.close();
});
beforeEach(async () => {
  await db.sql`delete from users`;
  await clearCache(one.redis, prefix);
});

type Users = ReturnType<typeof usersApp>;
const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>, users: Users = one) => {
  const response = await users.app.handle(jsonRequest(method, path, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};
const pathsOf = (body: { errors: { path: string }[] }) => body.errors.map((error) => error.path);

/** The date `days` after today in `zone`. */
const inDays = (days: number, zone = "UTC") => dateOf(localDay(zone, Date.now()) + days);
const ADA = "ada@example.com";
const register = (time_zone = "UTC", email = ADA) =>
  call("POST", "/users", { email, name: "Ada", availabilities: { monday: [9, 10] }, time_zone });
const putDate = (date: string, body: unknown, email = ADA) => call("PUT", `/users/${email}/dates/${date}`, body);
const versionOf = async (email = ADA) => (await db.sql`select version from users where email = ${email}`)[0]!.version as string;
const storedDates = async (email = ADA) =>
  (
    await db.sql<{ date: string }[]>`
      select to_char(d.date, 'YYYY-MM-DD') as date from user_dates d join users u on u.id = d.user_id
      where u.email = ${email} order by d.date`
  ).map((row) => row.date);

describe("PUT /users/{email}/dates/{date}", () => {
  test("stores a date's free time in the answered form and answers it, if-needed time without the available", async () => {
    await register();
    const date = inDays(10);
    const { status, body } = await putDate(date, { available: ["13:30-15:00", "14:00-16:00", 9], if_needed: ["15:00-18:00", 9] });
    expect(status).toBe(200);
    expect(body).toEqual({ date, available: ["09:00-10:00", "13:30-16:00"], if_needed: [16, 17] });
    expect((await call("GET", `/users/${ADA}/dates`)).body).toEqual({ dates: [body] });
  });

  test("keeps whole hours as start hours, and takes an empty day as a day away", async () => {
    await register();
    expect((await putDate(inDays(3), { available: ["09:00-11:00", 14] })).body).toEqual({
      date: inDays(3),
      available: [9, 10, 14],
      if_needed: [],
    });
    expect((await putDate(inDays(4), { available: [] })).body).toEqual({ date: inDays(4), available: [], if_needed: [] });
  });

  test("replaces the exception a date already has", async () => {
    await register();
    await putDate(inDays(5), { available: [9] });
    const replaced = await putDate(inDays(5), { available: [], if_needed: [17] });
    expect(replaced.body).toEqual({ date: inDays(5), available: [], if_needed: [17] });
    expect((await call("GET", `/users/${ADA}/dates`)).body.dates).toEqual([replaced.body]);
  });

  test("answers 400 naming every range that ends before it starts, all at once, and a date that does not exist, writing nothing", async () => {
    await register();
    const version = await versionOf();
    const { status, body } = await putDate(inDays(1), { available: [9, "12:00-11:00"], if_needed: ["10:00-10:00"] });
    expect(status).toBe(400);
    expect(body.type).toBe("urn:w2meet:problem:validation");
    expect(pathsOf(body)).toEqual(["available[1]", "if_needed[0]"]);
    expect(body.errors[0].message).toContain("end after it starts");
    const notADate = await putDate("2031-02-30", { available: [] });
    expect(notADate.status).toBe(400);
    expect(pathsOf(notADate.body)).toEqual(["date"]);
    expect(await storedDates()).toEqual([]);
    expect(await versionOf()).toBe(version);
  });

  test("answers 400 naming the fields the schema refuses: a range off the grid, a malformed date, an unknown member", async () => {
    await register();
    const offGrid = await putDate(inDays(2), { available: ["09:10-10:00"] });
    expect(offGrid.status).toBe(400);
    expect(pathsOf(offGrid.body)).toEqual(["available[0]"]);
    const malformed = await putDate("tomorrow", { available: [] });
    expect(malformed.status).toBe(400);
    expect(pathsOf(malformed.body)).toEqual(["date"]);
    expect((await putDate(inDays(2), { available: [], away: true })).status).toBe(400);
    expect((await putDate(inDays(2), {})).status).toBe(400);
    expect(await storedDates()).toEqual([]);
  });

  test(`takes dates from today to ${MAX_DAYS_AHEAD} days ahead, and answers 400 naming date before or after`, async () => {
    await register();
    for (const days of [0, MAX_DAYS_AHEAD]) expect((await putDate(inDays(days), { available: [] })).status).toBe(200);
    for (const days of [-1, MAX_DAYS_AHEAD + 1]) {
      const { status, body } = await putDate(inDays(days), { available: [] });
      expect(status).toBe(400);
      expect(pathsOf(body)).toEqual(["date"]);
      expect(body.errors[0].message).toContain(inDays(0));
    }
    expect(await storedDates()).toEqual([inDays(0), inDays(MAX_DAYS_AHEAD)]);
  });

  test("counts today in the person's own time zone", async () => {
    // Pago Pago (UTC-11) is always a day or two behind Kiritimati (UTC+14): its today is Kiritimati's past.
    const behind = inDays(0, "Pacific/Pago_Pago");
    await register("Pacific/Kiritimati");
    await register("Pacific/Pago_Pago", "grace@example.com");
    const refused = await putDate(behind, { available: [] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain("Pacific/Kiritimati");
    expect((await putDate(behind, { available: [] }, "grace@example.com")).status).toBe(200);
    expect((await putDate(inDays(0, "Pacific/Kiritimati"), { available: [] })).status).toBe(200);
  });

  test("answers 404 for an unknown person", async () => {
    const { status, headers, body } = await putDate(inDays(1), { available: [] }, "nobody@example.com");
    expect(status).toBe(404);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(body.detail).toContain("nobody@example.com");
  });

  test(`keeps at most ${MAX_DATE_EXCEPTIONS} exceptions from yesterday on: one more is a 409 that writes nothing`, async () => {
    await register();
    // Yesterday counts; today is the one date of the window left free.
    await db.sql`
      insert into user_dates (user_id, date, available, if_needed)
      select u.id, ${inDays(-1)}::date + n, '[]', '[]' from users u, generate_series(0, ${MAX_DATE_EXCEPTIONS}) n
      where u.email = ${ADA} and n <> 1`;
    const version = await versionOf();
    const refused = await putDate(inDays(0), { available: [9] });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body.detail).toContain(`${MAX_DATE_EXCEPTIONS} dated exceptions`);
    expect(await versionOf()).toBe(version);
    expect(await storedDates()).toHaveLength(MAX_DATE_EXCEPTIONS);
    // Changing a date it already has is no new exception; and once one is deleted there is room again.
    expect((await putDate(inDays(3), { available: [9] })).status).toBe(200);
    expect((await call("DELETE", `/users/${ADA}/dates/${inDays(3)}`)).status).toBe(204);
    expect((await putDate(inDays(0), { available: [9] })).status).toBe(200);
  });

  test("removes the exceptions from before yesterday with a write, and does not count them", async () => {
    await register();
    await db.sql`
      insert into user_dates (user_id, date, available, if_needed)
      select u.id, ${inDays(-30)}::date + n, '[]', '[]' from users u, generate_series(0, 29) n where u.email = ${ADA}`;
    await db.sql`
      insert into user_dates (user_id, date, available, if_needed)
      select u.id, ${inDays(1)}::date + n, '[]', '[]' from users u, generate_series(0, ${MAX_DATE_EXCEPTIONS - 3}) n
      where u.email = ${ADA}`;
    // 30 before today, of which only yesterday is kept and counted: with today, 400 exactly.
    expect((await putDate(inDays(0), { available: [9] })).status).toBe(200);
    const stored = await storedDates();
    expect(stored).toHaveLength(MAX_DATE_EXCEPTIONS);
    expect(stored.slice(0, 2)).toEqual([inDays(-1), inDays(0)]);
  });
});

describe("DELETE /users/{email}/dates/{date}", () => {
  test("restores the weekly pattern on that date: 204, then a 404 problem", async () => {
    await register();
    await putDate(inDays(6), { available: [] });
    const deleted = await one.app.handle(jsonRequest("DELETE", `/users/${ADA}/dates/${inDays(6)}`));
    expect(deleted.status).toBe(204);
    expect(await storedDates()).toEqual([]);
    const again = await call("DELETE", `/users/${ADA}/dates/${inDays(6)}`);
    expect(again.status).toBe(404);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(again.body.detail).toContain(inDays(6));
  });

  test("answers 404 for an unknown person and 400 naming date for a date out of the window", async () => {
    expect((await call("DELETE", `/users/nobody@example.com/dates/${inDays(1)}`)).status).toBe(404);
    await register();
    const past = await call("DELETE", `/users/${ADA}/dates/${inDays(-1)}`);
    expect(past.status).toBe(400);
    expect(pathsOf(past.body)).toEqual(["date"]);
  });
});

describe("GET /users/{email}/dates", () => {
  test("lists the exceptions ascending, between from and to, both inclusive and optional", async () => {
    await register();
    for (const days of [9, 2, 5, 7]) await putDate(inDays(days), { available: [days] });
    const dates = async (query: string) =>
      (await call("GET", `/users/${ADA}/dates${query}`)).body.dates.map((exception: { date: string }) => exception.date);
    expect(await dates("")).toEqual([inDays(2), inDays(5), inDays(7), inDays(9)]);
    expect(await dates(`?from=${inDays(5)}`)).toEqual([inDays(5), inDays(7), inDays(9)]);
    expect(await dates(`?to=${inDays(7)}`)).toEqual([inDays(2), inDays(5), inDays(7)]);
    expect(await dates(`?from=${inDays(3)}&to=${inDays(5)}`)).toEqual([inDays(5)]);
    expect(await dates(`?from=${inDays(10)}`)).toEqual([]);
  });

  test("answers 400 naming from when it is after to, or a bound that is no date; 404 for an unknown person", async () => {
    await register();
    const reversed = await call("GET", `/users/${ADA}/dates?from=${inDays(5)}&to=${inDays(4)}`);
    expect(reversed.status).toBe(400);
    expect(pathsOf(reversed.body)).toEqual(["from"]);
    const notDates = await call("GET", `/users/${ADA}/dates?from=2031-13-01&to=2031-02-29`);
    expect(notDates.status).toBe(400);
    expect(pathsOf(notDates.body)).toEqual(["from", "to"]);
    expect((await call("GET", "/users/nobody@example.com/dates")).status).toBe(404);
  });
});

describe("the availability reads", () => {
  const group = (users: Users) => call("GET", `/users/availability?users=${ADA},grace@example.com`, undefined, undefined, users);
  const single = (users: Users) => call("GET", `/users/${ADA}/availability`, undefined, undefined, users);

  test("carry the exceptions from yesterday on, ascending, with the time zone and if-needed week", async () => {
    await call("POST", "/users", { email: ADA, name: "Ada", if_needed: { friday: [17] }, time_zone: "asia/kolkata" });
    await putDate(inDays(8, "Asia/Kolkata"), { available: ["10:00-11:30"] });
    await putDate(inDays(1, "Asia/Kolkata"), { available: [], if_needed: [9] });
    await db.sql`
      insert into user_dates (user_id, date, available, if_needed)
      select id, d::date, '[]', '[]' from users, unnest(${[inDays(-1, "Asia/Kolkata"), inDays(-2, "Asia/Kolkata")]}::text[]) d`;
    const expected = [
      { date: inDays(-1, "Asia/Kolkata"), available: [], if_needed: [] },
      { date: inDays(1, "Asia/Kolkata"), available: [], if_needed: [9] },
      { date: inDays(8, "Asia/Kolkata"), available: ["10:00-11:30"], if_needed: [] },
    ];
    await clearCache(one.redis, prefix);
    const read = await group(one);
    expect(read.body.users).toEqual([
      {
        email: ADA,
        availabilities: { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] },
        if_needed: { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [17], saturday: [], sunday: [] },
        time_zone: "Asia/Kolkata",
        dates: expected,
        preference: "first",
      },
    ]);
    expect((await single(one)).body.dates).toEqual(expected);
  });

  test("show an exception right after its write, through another replica, from the cache", async () => {
    await register();
    await register("UTC", "grace@example.com");
    expect((await single(two)).headers.get("x-cache")).toBe("HIT");
    expect((await group(two)).body.users[0].dates).toBeUndefined();

    expect((await putDate(inDays(4), { available: [] })).status).toBe(200);
    const before = db.counter.queries;
    const read = await single(two);
    expect(read.headers.get("x-cache")).toBe("HIT");
    expect(read.body.dates).toEqual([{ date: inDays(4), available: [], if_needed: [] }]);
    expect((await group(two)).body.users[0].dates).toEqual([{ date: inDays(4), available: [], if_needed: [] }]);
    expect(db.counter.queries).toBe(before);

    expect((await call("DELETE", `/users/${ADA}/dates/${inDays(4)}`)).status).toBe(204);
    expect((await single(two)).body.dates).toBeUndefined();
    expect((await group(two)).body.users[0].dates).toBeUndefined();
  });

  test("give every exception write a new version and record it for the cache, in the write's transaction", async () => {
    await register();
    const first = await versionOf();
    await putDate(inDays(4), { available: [] });
    const second = await versionOf();
    expect(BigInt(second)).toBeGreaterThan(BigInt(first));
    await call("DELETE", `/users/${ADA}/dates/${inDays(4)}`);
    expect(BigInt(await versionOf())).toBeGreaterThan(BigInt(second));
    // Each write reached Redis and settled what it recorded: nothing is left to replay.
    expect(await db.sql`select * from cache_invalidations`).toHaveLength(0);
    const { body } = await call("GET", `/users/${ADA}`);
    expect(body.updated_at > body.created_at).toBe(true);
  });

  test("forget a person's exceptions with the person", async () => {
    await register();
    await putDate(inDays(4), { available: [] });
    expect((await call("DELETE", `/users/${ADA}`)).status).toBe(204);
    expect(await db.sql`select * from user_dates`).toHaveLength(0);
    await register();
    expect((await single(two)).body.dates).toBeUndefined();
  });
});

test("the OpenAPI document describes the dates routes, their problems and their token", async () => {
  const { body } = await call("GET", "/docs/json");
  const item = body.paths["/users/{email}/dates/{date}"];
  expect(Object.keys(item.put.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "404", "409", "503"]));
  expect(Object.keys(item.delete.responses)).toEqual(expect.arrayContaining(["204", "400", "401", "403", "404", "503"]));
  const list = body.paths["/users/{email}/dates"].get;
  expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(["200", "400", "404", "503"]));
  for (const operation of [item.put, item.delete, list]) {
    expect(operation.tags).toEqual(["dates"]);
    expect(operation.summary.length).toBeGreaterThan(0);
  }
  expect(item.put.responses["409"].content).toEqual({ "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } });
});
