import { describe, expect, test } from "bun:test";
import type { DaySlot } from "@w2meet/contracts";
import {
  referenceBoard,
  referenceCalendar,
  referenceCommonDated,
  referenceCommonWeekly,
  referenceHeatmapDated,
  referenceSuggestDated,
  referenceSuggestWeekly,
  referenceWeek,
} from "@w2meet/testing";
import {
  type Calendar,
  commonDated,
  commonWeekly,
  type Day,
  dayNumber,
  heatmapDated,
  maskToWeek,
  type PersonInput,
  personOf,
  readWindow,
  suggestDated,
  suggestWeekly,
} from "./index.ts";

// Hand-worked answers, each checked against the package and against the brute-force reference, so both are held to them.

const WINTER = Date.parse("2026-01-14T12:00:00Z");
const SUMMER = Date.parse("2026-07-15T12:00:00Z");
/** New York has moved its clocks (8 March 2026), Berlin not yet (29 March). */
const BETWEEN = Date.parse("2026-03-16T12:00:00Z");

const EMPTY_WEEK = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };

const someone = (email: string, time_zone: string, availabilities: Partial<Record<Day, DaySlot[]>>, extra: Partial<PersonInput> = {}) => ({
  email,
  time_zone,
  availabilities,
  preference: "first" as const,
  ...extra,
});

const bothCommonWeekly = (people: PersonInput[], zone: string, now: number) => {
  const answer = commonWeekly(people, zone, now);
  expect(referenceCommonWeekly(referenceWeek(people, zone, now))).toEqual(answer);
  return answer;
};

function windowOf(query: { from: string; days: number; tz: string }): Calendar {
  const window = readWindow(query, WINTER);
  if (Array.isArray(window) || !window.calendar) throw new Error("expected a calendar");
  return window.calendar;
}

describe("personOf", () => {
  test("reads a person's tiers and exceptions; their zone is UTC unless they say otherwise", () => {
    const person = personOf({
      email: "a@x.test",
      availabilities: { monday: [9, "10:00-10:30"] },
      if_needed: { monday: ["10:30-11:00"], friday: [8] },
      dates: [{ date: "2026-11-23", available: [] }],
      preference: "last",
    });
    expect({ email: person.email, zone: person.zone, preference: person.preference }).toEqual({
      email: "a@x.test",
      zone: "UTC",
      preference: "last",
    });
    expect(maskToWeek(person.free)).toEqual({ ...EMPTY_WEEK, monday: ["09:00-10:30"] });
    expect(maskToWeek(person.reach)).toEqual({ ...EMPTY_WEEK, monday: [9, 10], friday: [8] });
    expect([...person.dates.keys()]).toEqual([dayNumber("2026-11-23")]);
    expect(personOf({ email: "b@x.test", availabilities: {}, time_zone: "Asia/Kolkata", preference: "first" }).zone).toBe("Asia/Kolkata");
  });
});

describe("common time across zones, by hand", () => {
  test("Berlin 9–12 and New York 9–12 on Monday have no common time", () => {
    const people = [
      someone("b@x.test", "Europe/Berlin", { monday: [9, 10, 11] }),
      someone("n@x.test", "America/New_York", { monday: [9, 10, 11] }),
    ];
    expect(bothCommonWeekly(people, "UTC", WINTER)).toEqual({ week: EMPTY_WEEK, intervals: [] });
  });

  test("Berlin 9–12 and New York 3–6 meet at 8–11 UTC in winter, 7–10 in summer, 8–10 while only New York is on summer time", () => {
    const people = [
      someone("b@x.test", "Europe/Berlin", { monday: [9, 10, 11] }),
      someone("n@x.test", "America/New_York", { monday: [3, 4, 5] }),
    ];
    expect(bothCommonWeekly(people, "UTC", WINTER)).toEqual({
      week: { ...EMPTY_WEEK, monday: [8, 9, 10] },
      intervals: [{ day: "monday", start: 8, end: 11 }],
    });
    expect(bothCommonWeekly(people, "UTC", SUMMER).week).toEqual({ ...EMPTY_WEEK, monday: [7, 8, 9] });
    expect(bothCommonWeekly(people, "UTC", BETWEEN).week).toEqual({ ...EMPTY_WEEK, monday: [8, 9] });
  });

  test("Kathmandu's 09:00–10:00 is 03:15–04:15 in UTC, and a Tokyo Monday morning is a UTC Sunday evening", () => {
    expect(bothCommonWeekly([someone("k@x.test", "Asia/Kathmandu", { monday: [9] })], "UTC", WINTER)).toEqual({
      week: { ...EMPTY_WEEK, monday: ["03:15-04:15"] },
      intervals: [{ day: "monday", start: 3.25, end: 4.25 }],
    });
    expect(bothCommonWeekly([someone("t@x.test", "Asia/Tokyo", { monday: [0, 1, 2, 9] })], "UTC", WINTER).week).toEqual({
      ...EMPTY_WEEK,
      monday: [0],
      sunday: [15, 16, 17],
    });
  });

  test("an exception replaces the weekday's time on its own date only", () => {
    // 2026-01-19 is the Monday of the coming week at WINTER.
    const people = [someone("a@x.test", "UTC", { monday: [9, 10] }, { dates: [{ date: "2026-01-19", available: ["10:00-10:30"] }] })];
    expect(bothCommonWeekly(people, "UTC", WINTER).week).toEqual({ ...EMPTY_WEEK, monday: ["10:00-10:30"] });
    expect(bothCommonWeekly(people, "UTC", Date.parse("2026-01-20T00:00:00Z")).week).toEqual({ ...EMPTY_WEEK, monday: [9, 10] });
  });
});

describe("dated answers over a change of clocks, by hand", () => {
  const bothCommonDated = (people: PersonInput[], query: { from: string; days: number; tz: string }) => {
    const answer = commonDated(people, windowOf(query));
    expect(referenceCommonDated(referenceBoard(people, referenceCalendar(query)))).toEqual(answer);
    return answer;
  };

  test("Berlin's spring-forward Sunday: 02:00–03:00 never happens, the day's one run is 23 hours long", () => {
    const people = [someone("b@x.test", "Europe/Berlin", { sunday: ["00:00-24:00"] })];
    expect(bothCommonDated(people, { from: "2026-03-29", days: 1, tz: "Europe/Berlin" })).toEqual({
      dates: [
        {
          date: "2026-03-29",
          day: "sunday",
          available: [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
        },
      ],
      intervals: [
        { date: "2026-03-29", day: "sunday", start: "2026-03-29T00:00:00+01:00", end: "2026-03-30T00:00:00+02:00", slot: [0, 24] },
      ],
    });
  });

  test("Berlin's fall-back Sunday: 02:00–03:00 counts on the wall clock only when free both times it happens", () => {
    const query = { from: "2026-10-25", days: 1, tz: "Europe/Berlin" };
    const firstOnly = [someone("u@x.test", "UTC", { sunday: [0] })];
    expect(bothCommonDated(firstOnly, query)).toEqual({
      dates: [{ date: "2026-10-25", day: "sunday", available: [] }],
      intervals: [
        { date: "2026-10-25", day: "sunday", start: "2026-10-25T02:00:00+02:00", end: "2026-10-25T02:00:00+01:00", slot: [2, 2] },
      ],
    });
    const both = [someone("u@x.test", "UTC", { sunday: [0, 1] })];
    expect(bothCommonDated(both, query)).toEqual({
      dates: [{ date: "2026-10-25", day: "sunday", available: [2] }],
      intervals: [
        { date: "2026-10-25", day: "sunday", start: "2026-10-25T02:00:00+02:00", end: "2026-10-25T03:00:00+01:00", slot: [2, 3] },
      ],
    });
  });

  test("the heatmap of a spring-forward day has nobody at the hour that does not exist", () => {
    const people = [someone("b@x.test", "Europe/Berlin", { sunday: ["00:00-24:00"] }, { if_needed: { monday: [9] } })];
    const query = { from: "2026-03-29", days: 1, tz: "Europe/Berlin" };
    const answer = heatmapDated(people, windowOf(query), 60);
    expect(referenceHeatmapDated(referenceBoard(people, referenceCalendar(query)), 60)).toEqual(answer);
    expect(answer).toHaveLength(1);
    expect(answer[0]!.start).toBe("2026-03-29T00:00:00+01:00");
    expect(answer[0]!.slots).toEqual(Array.from({ length: 24 }, (_, h) => (h === 2 ? 0 : 1)));
  });
});

describe("suggestions, by hand", () => {
  const bothWeekly = (people: PersonInput[], options: Parameters<typeof suggestWeekly>[3]) => {
    const answer = suggestWeekly(people, "UTC", WINTER, options);
    expect(referenceSuggestWeekly(referenceWeek(people, "UTC", WINTER), { seed: "", ...options })).toEqual(answer);
    return answer;
  };

  test("the earliest hour both can make, with nobody on if-needed time", () => {
    const people = [someone("a@x.test", "UTC", { monday: [9, 10, 11] }), someone("b@x.test", "UTC", { monday: [10, 11, 12] })];
    expect(bothWeekly(people, { minutes: 60 })).toEqual([
      { day: "monday", slot: [10, 11], preference: "first", attendees: ["a@x.test", "b@x.test"], missing: [] },
    ]);
  });

  test("starts on the quarter hour once anyone's time does, and on the hour while everyone's is whole hours", () => {
    const quarter = [someone("a@x.test", "UTC", { monday: ["09:30-11:30"] }), someone("b@x.test", "UTC", { monday: [9, 10, 11] })];
    expect(bothWeekly(quarter, { minutes: 60, limit: 2 }).map((s) => s.slot)).toEqual([
      [9.5, 10.5],
      [9.75, 10.75],
    ]);
    const hours = [someone("a@x.test", "UTC", { monday: [9, 10, 11] }), someone("b@x.test", "UTC", { monday: [9, 10, 11] })];
    expect(bothWeekly(hours, { minutes: 60, limit: 5 }).map((s) => s.slot)).toEqual([
      [9, 10],
      [10, 11],
      [11, 12],
    ]);
  });

  test("fewer quarter hours of if-needed time beat fewer people using it", () => {
    const people = [
      someone("a@x.test", "UTC", { monday: [9], tuesday: ["09:15-10:00"] }, { if_needed: { tuesday: ["09:00-09:15"] } }),
      someone("b@x.test", "UTC", { tuesday: ["09:00-09:45"] }, { if_needed: { monday: [9], tuesday: ["09:45-10:00"] } }),
    ];
    // Tuesday: both on if-needed time, 15 minutes each; Monday: b alone, for the whole hour.
    const answer = bothWeekly(people, { minutes: 60, limit: 2 });
    expect(answer.map((s) => [s.day, s.if_needed])).toEqual([
      ["tuesday", ["a@x.test", "b@x.test"]],
      ["monday", ["b@x.test"]],
    ]);
  });

  test("required people on their free time beat more attendees, and never miss a slot", () => {
    const people = [
      someone("boss@x.test", "UTC", { tuesday: [9] }, { if_needed: { monday: [9] } }),
      someone("a@x.test", "UTC", { monday: [9], tuesday: [9] }),
      someone("b@x.test", "UTC", { monday: [9], wednesday: [9] }),
    ];
    const answer = bothWeekly(people, { minutes: 60, limit: 5, minAttendees: 2, required: ["boss@x.test"] });
    expect(answer.map((s) => [s.day, s.attendees.length])).toEqual([
      ["tuesday", 2],
      ["monday", 3],
    ]);
  });

  test("fewer people missing beats fewer on if-needed time", () => {
    const people = [
      someone("a@x.test", "UTC", { monday: [9] }, { if_needed: { monday: [12] } }),
      someone("b@x.test", "UTC", { tuesday: [9] }, { if_needed: { monday: [12] } }),
    ];
    expect(bothWeekly(people, { minutes: 60, minAttendees: 1, limit: 3 })).toEqual([
      {
        day: "monday",
        slot: [12, 13],
        preference: "first",
        attendees: ["a@x.test", "b@x.test"],
        missing: [],
        if_needed: ["a@x.test", "b@x.test"],
      },
      { day: "monday", slot: [9, 10], preference: "first", attendees: ["a@x.test"], missing: ["b@x.test"] },
      { day: "tuesday", slot: [9, 10], preference: "first", attendees: ["b@x.test"], missing: ["a@x.test"] },
    ]);
  });

  test("a UTC hour shown in Kolkata starts on the half hour, and the meeting may too", () => {
    const people = [someone("a@x.test", "UTC", { monday: [9, 10, 11] })];
    const query = { from: "2026-11-23", days: 1, tz: "Asia/Kolkata" };
    const answer = suggestDated(people, windowOf(query), { minutes: 60 });
    expect(referenceSuggestDated(referenceBoard(people, referenceCalendar(query)), { minutes: 60, seed: "" })).toEqual(answer);
    expect(answer).toEqual([
      {
        date: "2026-11-23",
        day: "monday",
        start: "2026-11-23T14:30:00+05:30",
        end: "2026-11-23T15:30:00+05:30",
        slot: [14.5, 15.5],
        preference: "first",
        attendees: ["a@x.test"],
        missing: [],
      },
    ]);
  });

  test("a window without one whole quarter hour (from 23:50 for one day) has no meetings, answered at once for a big group", () => {
    const calendar = windowOf({ from: "2026-11-23T23:50:00Z", days: 1, tz: "UTC" });
    expect(calendar.length).toBe(0);
    const people = Array.from({ length: 40 }, (_, i) => someone(`p${i}@x.test`, "UTC", { monday: [9, 10] }));
    expect(suggestDated(people, calendar, { minutes: 60 })).toEqual([]);
    expect(commonDated(people, calendar)).toEqual({ dates: [{ date: "2026-11-23", day: "monday", available: [] }], intervals: [] });
  });
});
