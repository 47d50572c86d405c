import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { addDays, jsonRequest, nextYearsDate, person, startFakeUsers, type FakeUsers } from "@w2meet/testing";
import { buildAvailabilityApp } from "../app.ts";
import { createAvailabilityClients } from "../clients.ts";
import { loadAvailabilityConfig } from "../config.ts";

const quiet = createLogger({ service: "availability", level: "error", sink: () => {} });

// A Monday in January (no DST anywhere north) and the Sunday Europe/Berlin's clocks go back, next year.
const JANUARY_MONDAY = nextYearsDate(1, 12, "monday");
const BERLIN_FALL_BACK = nextYearsDate(10, 25, "sunday");

const everyone = (week: Record<string, (number | string)[]>) => week;
const people = [
  person("utc@example.com", { monday: [9, 10, 11] }),
  person("berlin@example.com", { monday: [9, 10, 11] }, "first", { time_zone: "Europe/Berlin" }),
  person("newyork@example.com", { monday: [9, 10, 11] }, "first", { time_zone: "America/New_York" }),
  person("early-ny@example.com", { monday: [3, 4, 5] }, "first", { time_zone: "America/New_York" }),
  person("kolkata@example.com", { monday: ["14:00-17:00"] }, "first", { time_zone: "Asia/Kolkata" }),
  person("kathmandu@example.com", { monday: ["15:00-16:00"] }, "first", { time_zone: "Asia/Kathmandu" }),
  person("away@example.com", { monday: [9, 10, 11] }, "first", {
    dates: [{ date: JANUARY_MONDAY, available: [], if_needed: [] }],
  }),
  person("maybe@example.com", { monday: [9] }, "first", { if_needed: everyone({ monday: [10, 11] }) }),
  person("weekend-utc@example.com", { saturday: ["00:00-24:00"], sunday: ["00:00-24:00"] }),
  person("weekend-berlin@example.com", { sunday: [0, 1, 2, 3, 4] }, "first", { time_zone: "Europe/Berlin" }),
];

let users: FakeUsers;
let app: ReturnType<typeof buildAvailabilityApp>;
beforeAll(() => {
  users = startFakeUsers(people);
  const config = loadAvailabilityConfig({ USERS_URL: users.url });
  app = buildAvailabilityApp(config, createAvailabilityClients(config, quiet));
});
afterAll(() => users.stop());

async function get(path: string) {
  const response = await app.handle(jsonRequest("GET", path));
  return { status: response.status, body: (await response.json()) as any };
}

const common = (group: string, window: string) => get(`/availability/common_availabilities?users=${group}&${window}`);

describe("common availability across time zones", () => {
  test("Monday 9–12 in Berlin and in New York do not overlap", async () => {
    const { status, body } = await common("berlin@example.com,newyork@example.com", `from=${JANUARY_MONDAY}`);
    expect(status).toBe(200);
    expect(body.intervals).toEqual([]);
  });

  test("Berlin 9–12 and New York 3–6 meet at 08:00–11:00 UTC, shown in any zone", async () => {
    const group = "berlin@example.com,early-ny@example.com";
    const inUtc = await common(group, `from=${JANUARY_MONDAY}&days=1`);
    expect(inUtc.body.intervals).toEqual([
      { date: JANUARY_MONDAY, day: "monday", start: `${JANUARY_MONDAY}T08:00:00Z`, end: `${JANUARY_MONDAY}T11:00:00Z`, slot: [8, 11] },
    ]);
    expect(inUtc.body.dates).toEqual([{ date: JANUARY_MONDAY, day: "monday", available: [8, 9, 10] }]);
    expect(inUtc.body).toMatchObject({
      time_zone: "UTC",
      from: `${JANUARY_MONDAY}T00:00:00Z`,
      to: `${addDays(JANUARY_MONDAY, 1)}T00:00:00Z`,
    });

    const inBerlin = await common(group, `from=${JANUARY_MONDAY}&days=1&tz=europe/berlin`);
    expect(inBerlin.body.time_zone).toBe("Europe/Berlin");
    expect(inBerlin.body.intervals).toEqual([
      {
        date: JANUARY_MONDAY,
        day: "monday",
        start: `${JANUARY_MONDAY}T09:00:00+01:00`,
        end: `${JANUARY_MONDAY}T12:00:00+01:00`,
        slot: [9, 12],
      },
    ]);
  });

  test("half- and quarter-hour zones give quarter-hour common time", async () => {
    const kolkata = await common("utc@example.com,kolkata@example.com", `from=${JANUARY_MONDAY}&days=1`);
    expect(kolkata.body.dates[0].available).toEqual(["09:00-11:30"]);
    expect(kolkata.body.intervals[0]).toMatchObject({
      start: `${JANUARY_MONDAY}T09:00:00Z`,
      end: `${JANUARY_MONDAY}T11:30:00Z`,
      slot: [9, 11.5],
    });

    const kathmandu = await common("utc@example.com,kathmandu@example.com", `from=${JANUARY_MONDAY}&days=1&tz=Asia/Kathmandu`);
    expect(kathmandu.body.intervals).toEqual([
      {
        date: JANUARY_MONDAY,
        day: "monday",
        start: `${JANUARY_MONDAY}T15:00:00+05:45`,
        end: `${JANUARY_MONDAY}T16:00:00+05:45`,
        slot: [15, 16],
      },
    ]);
  });

  test("a dated exception replaces the weekly hours on its date only", async () => {
    const { body } = await common("utc@example.com,away@example.com", `from=${JANUARY_MONDAY}&days=8`);
    expect(body.intervals.map((i: { date: string }) => i.date)).toEqual([addDays(JANUARY_MONDAY, 7)]);
  });

  test("on the day clocks go back, Berlin's Sunday 00:00–05:00 is six real hours", async () => {
    const group = "weekend-berlin@example.com,weekend-utc@example.com";
    const saturday = addDays(BERLIN_FALL_BACK, -1);
    const inUtc = await common(group, `from=${saturday}&days=2`);
    expect(inUtc.body.intervals.map((i: { start: string; end: string }) => [i.start, i.end])).toEqual([
      [`${saturday}T22:00:00Z`, `${BERLIN_FALL_BACK}T00:00:00Z`],
      [`${BERLIN_FALL_BACK}T00:00:00Z`, `${BERLIN_FALL_BACK}T04:00:00Z`],
    ]);
    const inBerlin = await common(group, `from=${BERLIN_FALL_BACK}&days=1&tz=Europe/Berlin`);
    expect(inBerlin.body.intervals).toEqual([
      {
        date: BERLIN_FALL_BACK,
        day: "sunday",
        start: `${BERLIN_FALL_BACK}T00:00:00+02:00`,
        end: `${BERLIN_FALL_BACK}T05:00:00+01:00`,
        slot: [0, 5],
      },
    ]);
  });

  test("the weekday form places each person's hours in their zone for the coming week", async () => {
    const { body } = await common("berlin@example.com,early-ny@example.com", "tz=UTC");
    // 08:00–11:00 UTC in winter, 07:00–10:00 in summer, depending on when the suite runs; the zones never line up 9–12.
    expect(body.common_availabilities.monday.length).toBe(3);
    expect(body.intervals).toHaveLength(1);
    expect(body.intervals[0].day).toBe("monday");
  });
});

describe("heatmap tiers", () => {
  test("counts if-needed time apart from free time", async () => {
    const { body } = await get(`/availability/heatmap?users=utc@example.com,maybe@example.com&from=${JANUARY_MONDAY}&days=1`);
    const [day] = body.dates;
    expect(day).toMatchObject({ date: JANUARY_MONDAY, day: "monday", start: `${JANUARY_MONDAY}T00:00:00Z` });
    expect(day.slots.slice(9, 12)).toEqual([2, 1, 1]);
    expect(day.if_needed_slots.slice(9, 12)).toEqual([0, 1, 1]);
    expect(day.if_needed[10]).toEqual(["maybe@example.com"]);
  });

  test("a group without if-needed time gets today's heatmap shape", async () => {
    const { body } = await get("/availability/heatmap?users=utc@example.com,away@example.com");
    expect(Object.keys(body).sort()).toEqual(["free", "slots", "users"]);
  });

  test("takes cells of 15 minutes", async () => {
    const { body } = await get(`/availability/heatmap?users=utc@example.com,kolkata@example.com&from=${JANUARY_MONDAY}&days=1&step=15`);
    const slots = body.dates[0].slots as number[];
    expect(slots).toHaveLength(96);
    // Kolkata 14:00–17:00 is 08:30–11:30 UTC and the other person is free 09:00–12:00: the 08:30 cell has
    // one person, 09:00 and 11:15 both, 11:30 one again.
    expect([slots[34], slots[36], slots[45], slots[46]]).toEqual([1, 2, 2, 1]);
  });
});

describe("dated queries refuse what they cannot read", () => {
  test.each([
    ["from=yesterday-ish", "from"],
    ["from=2026-02-30", "from"],
    ["from=1999-01-01", "from"],
    ["tz=Mars/Base", "tz"],
    ["tz=%2B01:00", "tz"],
    ["days=29", "days"],
    ["days=0", "days"],
  ])("%s is a 400 naming %s", async (window, field) => {
    const { status, body } = await common("utc@example.com,berlin@example.com", window);
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  test("step 45 is a 400 naming step", async () => {
    const { status, body } = await get("/availability/heatmap?users=utc@example.com,berlin@example.com&step=45");
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path)).toContain("step");
  });
});
