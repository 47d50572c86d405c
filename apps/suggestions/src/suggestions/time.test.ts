import { describe, expect, test } from "bun:test";
import { addDays, jsonRequest, nextYearsDate, person } from "@w2meet/testing";
import { suggestionsOverFake } from "../../test/app.ts";

const JANUARY_MONDAY = nextYearsDate(1, 12, "monday");
// The Sunday New York's clocks go back (first Sunday of November).
const NEW_YORK_FALL_BACK = nextYearsDate(11, 1, "sunday");

const people = [
  person("ada@example.com", { monday: [9, 10, 11], tuesday: [9, 10, 11] }),
  person("berlin@example.com", { monday: [9, 10, 11], tuesday: [9, 10, 11] }, "first", { time_zone: "Europe/Berlin" }),
  person("maybe@example.com", { tuesday: [9, 10, 11] }, "first", { if_needed: { monday: [9, 10, 11] } }),
  person("quarters@example.com", { monday: ["09:30-11:15"] }),
  person("afternoon@example.com", { monday: [12, 13, 14, 15, 16, 17] }),
  person("ny@example.com", { monday: [9, 10, 11] }, "first", { time_zone: "America/New_York" }),
];

const app = suggestionsOverFake(people);

async function get(query: string) {
  const response = await app.handle(jsonRequest("GET", `/suggestions?${query}`));
  return { status: response.status, body: (await response.json()) as any };
}

describe("dated suggestions", () => {
  test("are real instants in the display zone, each person's hours in their own zone", async () => {
    const { status, body } = await get(`users=ada@example.com,berlin@example.com&from=${JANUARY_MONDAY}&days=1&tz=Europe/Berlin`);
    expect(status).toBe(200);
    // Berlin 9–12 is 08:00–11:00 UTC in winter; ada is free 09:00–12:00 UTC: both at 10:00–11:00 Berlin.
    expect(body.suggestions).toEqual([
      {
        date: JANUARY_MONDAY,
        day: "monday",
        start: `${JANUARY_MONDAY}T10:00:00+01:00`,
        end: `${JANUARY_MONDAY}T11:00:00+01:00`,
        slot: [10, 11],
        preference: "first",
        attendees: ["ada@example.com", "berlin@example.com"],
        missing: [],
      },
    ]);
  });

  test("rank a slot everyone is free for above one that needs someone's if-needed hours, and name who", async () => {
    const { body } = await get(`users=ada@example.com,maybe@example.com&from=${JANUARY_MONDAY}&days=2&limit=4`);
    const tuesday = body.suggestions.filter((s: { day: string }) => s.day === "tuesday");
    expect(body.suggestions.slice(0, 3)).toEqual(tuesday);
    expect(tuesday.every((s: { if_needed?: string[] }) => s.if_needed === undefined)).toBe(true);
    expect(body.suggestions[3]).toMatchObject({ day: "monday", slot: [9, 10], if_needed: ["maybe@example.com"] });
  });

  test("take durations in quarter hours and start on quarter hours when someone's time does", async () => {
    const { body } = await get(`users=ada@example.com,quarters@example.com&from=${JANUARY_MONDAY}&days=1&duration=45&limit=3`);
    expect(body.suggestions.map((s: { slot: number[] }) => s.slot)).toEqual([
      [9.5, 10.25],
      [9.75, 10.5],
      [10, 10.75],
    ]);
    expect(body.suggestions[0].start).toBe(`${JANUARY_MONDAY}T09:30:00Z`);
  });

  test("start from an instant: nothing before it is offered, and whole-hour groups still meet on the hour", async () => {
    // Common time is 10:00–12:00 Berlin on both days (Berlin 9–12, ada 9–12 UTC).
    const { body } = await get(
      `users=ada@example.com,berlin@example.com&from=${JANUARY_MONDAY}T10:30:00%2B01:00&days=2&tz=Europe/Berlin&limit=5`,
    );
    expect(body.suggestions.map((s: { start: string }) => s.start)).toEqual([
      `${JANUARY_MONDAY}T11:00:00+01:00`,
      `${addDays(JANUARY_MONDAY, 1)}T10:00:00+01:00`,
      `${addDays(JANUARY_MONDAY, 1)}T11:00:00+01:00`,
    ]);
  });

  test("follow a DST change: New York's Monday 9–12 is an hour later in UTC once its clocks went back", async () => {
    const before = addDays(NEW_YORK_FALL_BACK, -6);
    const { body } = await get(`users=ny@example.com,afternoon@example.com&from=${before}&days=8&limit=10`);
    expect(body.suggestions.map((s: { start: string }) => s.start)).toEqual([
      `${before}T13:00:00Z`,
      `${before}T14:00:00Z`,
      `${before}T15:00:00Z`,
      `${addDays(before, 7)}T14:00:00Z`,
      `${addDays(before, 7)}T15:00:00Z`,
      `${addDays(before, 7)}T16:00:00Z`,
    ]);
  });
});

describe("the weekday form", () => {
  test("is the same as before for a group in UTC without exceptions", async () => {
    const { body } = await get("users=ada@example.com,quarters@example.com&duration=60&limit=2");
    expect(body.suggestions.map((s: { day: string; slot: number[] }) => [s.day, ...s.slot])).toEqual([
      ["monday", 9.5, 10.5],
      ["monday", 9.75, 10.75],
    ]);
  });
});

describe("dated parameters", () => {
  test.each([
    ["from=soon", "from"],
    ["tz=Nowhere/Land", "tz"],
    ["days=40", "days"],
    ["duration=50", "duration"],
  ])("%s is a 400 naming %s, with any other bad field", async (query, field) => {
    const { status, body } = await get(`users=ada@example.com,berlin@example.com&${query}&limit=0`);
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([field, "limit"].sort());
  });
});
