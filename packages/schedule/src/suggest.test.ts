import { describe, expect, test } from "bun:test";
import type { Preference } from "./rank.ts";
import { suggestSlots, type Member } from "./suggest.ts";
import { weekToMask, type Day } from "./week.ts";

const ALL_DAY = Array.from({ length: 24 }, (_, h) => h);

function member(email: string, week: Partial<Record<Day, number[]>>, preference: Preference = "first"): Member {
  return { email, mask: weekToMask(week), preference };
}

const seedUsers = [
  member("a@x.test", { monday: [9, 10, 11], tuesday: [14] }, "first"),
  member("b@x.test", { monday: [9, 10, 11], tuesday: [14] }, "last"),
];
const slotsOf = (suggestions: { day: Day; slot: [number, number] }[]) => suggestions.map((s) => [s.day, ...s.slot]);

describe("suggestSlots for the seed users", () => {
  test("returns the earliest common window for first", () => {
    expect(suggestSlots(seedUsers, { durationHours: 1, preference: "first" })).toEqual([
      { day: "monday", slot: [9, 10], preference: "first", attendees: ["a@x.test", "b@x.test"], missing: [] },
    ]);
  });

  test("returns the latest common window for last", () => {
    expect(suggestSlots(seedUsers, { durationHours: 1, preference: "last" })).toEqual([
      { day: "tuesday", slot: [14, 15], preference: "last", attendees: ["a@x.test", "b@x.test"], missing: [] },
    ]);
  });

  test("fits a two-hour meeting at monday 9-11 for first and 10-12 for last", () => {
    expect(slotsOf(suggestSlots(seedUsers, { durationHours: 2, preference: "first" }))).toEqual([["monday", 9, 11]]);
    expect(slotsOf(suggestSlots(seedUsers, { durationHours: 2, preference: "last" }))).toEqual([["monday", 10, 12]]);
  });

  test("returns every common window in week order when the limit allows", () => {
    const suggestions = suggestSlots(seedUsers, { durationHours: 1, preference: "first", limit: 10 });
    expect(slotsOf(suggestions)).toEqual([
      ["monday", 9, 10],
      ["monday", 10, 11],
      ["monday", 11, 12],
      ["tuesday", 14, 15],
    ]);
  });

  test("returns nothing when no common window is long enough", () => {
    expect(suggestSlots(seedUsers, { durationHours: 4, preference: "first" })).toEqual([]);
  });
});

describe("suggestSlots without a preference", () => {
  test("suggests the first window for the first preference and the last window for the next", () => {
    const suggestions = suggestSlots(seedUsers, { durationHours: 1 });
    expect(suggestions.map((s) => [s.preference, s.day, ...s.slot])).toEqual([
      ["first", "monday", 9, 10],
      ["last", "tuesday", 14, 15],
    ]);
  });

  test("uses each distinct preference once in member order", () => {
    const people = [
      member("a@x.test", { monday: [1, 2, 3] }, "last"),
      member("b@x.test", { monday: [1, 2, 3] }, "first"),
      member("c@x.test", { monday: [1, 2, 3] }, "last"),
    ];
    const suggestions = suggestSlots(people, { durationHours: 1 });
    expect(suggestions.map((s) => [s.preference, s.slot[0]])).toEqual([
      ["last", 3],
      ["first", 1],
    ]);
  });

  test("returns just one suggestion when only one window exists", () => {
    const people = [member("a@x.test", { friday: [8] }, "first"), member("b@x.test", { friday: [8] }, "last")];
    expect(suggestSlots(people, { durationHours: 1 }).map((s) => [s.preference, s.day, ...s.slot])).toEqual([["first", "friday", 8, 9]]);
  });

  test("skips windows an earlier preference already chose", () => {
    const people = [member("a@x.test", { monday: [1, 2, 3] }, "first"), member("b@x.test", { monday: [1, 2, 3] }, "last")];
    const suggestions = suggestSlots(people, { durationHours: 1, limit: 2 });
    expect(suggestions.map((s) => [s.preference, s.slot[0]])).toEqual([
      ["first", 1],
      ["first", 2],
      ["last", 3],
    ]);
  });

  test("lets a given preference override the members' preferences", () => {
    const suggestions = suggestSlots(seedUsers, { durationHours: 1, preference: "last", limit: 2 });
    expect(suggestions.map((s) => [s.preference, s.day, s.slot[0]])).toEqual([
      ["last", "tuesday", 14],
      ["last", "monday", 11],
    ]);
  });
});

describe("suggestSlots with minAttendees", () => {
  const trio = [
    member("a@x.test", { monday: [9], sunday: [20] }),
    member("b@x.test", { monday: [9, 10], sunday: [20] }),
    member("c@x.test", { monday: [10], sunday: [20] }),
  ];

  test("ranks the window everyone can attend before earlier windows with fewer attendees", () => {
    const suggestions = suggestSlots(trio, { durationHours: 1, preference: "first", minAttendees: 2, limit: 3 });
    expect(suggestions).toEqual([
      { day: "sunday", slot: [20, 21], preference: "first", attendees: ["a@x.test", "b@x.test", "c@x.test"], missing: [] },
      { day: "monday", slot: [9, 10], preference: "first", attendees: ["a@x.test", "b@x.test"], missing: ["c@x.test"] },
      { day: "monday", slot: [10, 11], preference: "first", attendees: ["b@x.test", "c@x.test"], missing: ["a@x.test"] },
    ]);
  });

  test("orders equally attended windows latest first for last", () => {
    const suggestions = suggestSlots(trio, { durationHours: 1, preference: "last", minAttendees: 2, limit: 3 });
    expect(slotsOf(suggestions)).toEqual([
      ["sunday", 20, 21],
      ["monday", 10, 11],
      ["monday", 9, 10],
    ]);
  });

  test("requires everyone by default", () => {
    expect(slotsOf(suggestSlots(trio, { durationHours: 1, preference: "first", limit: 5 }))).toEqual([["sunday", 20, 21]]);
  });

  test("clamps minAttendees to between one and the group size", () => {
    const lone = [member("a@x.test", { monday: [5] }), member("b@x.test", {})];
    expect(slotsOf(suggestSlots(lone, { durationHours: 1, preference: "first", minAttendees: 0 }))).toEqual([["monday", 5, 6]]);
    expect(suggestSlots(lone, { durationHours: 1, preference: "first", minAttendees: 99 })).toEqual([]);
  });
});

describe("suggestSlots edge cases", () => {
  test("fits a 24-hour meeting only at midnight on a fully free day", () => {
    const people = [
      member("a@x.test", { tuesday: ALL_DAY, wednesday: ALL_DAY.slice(1) }),
      member("b@x.test", { tuesday: ALL_DAY, wednesday: ALL_DAY }),
    ];
    expect(suggestSlots(people, { durationHours: 24, preference: "first", limit: 5 })).toEqual([
      { day: "tuesday", slot: [0, 24], preference: "first", attendees: ["a@x.test", "b@x.test"], missing: [] },
    ]);
  });

  test("returns an empty array when nobody shares a free hour", () => {
    const people = [member("a@x.test", { monday: [1] }), member("b@x.test", { monday: [2] })];
    expect(suggestSlots(people, { durationHours: 1 })).toEqual([]);
  });

  test("returns an empty array for no members", () => {
    expect(suggestSlots([], { durationHours: 1, preference: "first" })).toEqual([]);
  });

  test("returns an empty array for a duration outside 1 to 24", () => {
    const people = [member("a@x.test", { monday: ALL_DAY })];
    expect(suggestSlots(people, { durationHours: 0, preference: "first" })).toEqual([]);
    expect(suggestSlots(people, { durationHours: 25, preference: "first" })).toEqual([]);
  });

  test("never crosses midnight into the next day", () => {
    const people = [member("a@x.test", { monday: [23], tuesday: [0] })];
    expect(suggestSlots(people, { durationHours: 2, preference: "first" })).toEqual([]);
  });
});

describe("suggestSlots at random", () => {
  const free = [member("a@x.test", { monday: [0, 1, 2, 3] }, "random"), member("b@x.test", { monday: [0, 1, 2, 3] }, "random")];

  test("gives the same answer for the same seed", () => {
    const options = { durationHours: 1, preference: "random" as const, limit: 3, seed: "meeting-42" };
    expect(suggestSlots(free, options)).toEqual(suggestSlots(free, options));
  });

  test("picks each valid start about equally often across seeds", () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const [pick] = suggestSlots(free, { durationHours: 1, preference: "random", seed: `seed-${i}` });
      counts.set(pick!.slot[0], (counts.get(pick!.slot[0]) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  test("returns a valid window without a seed", () => {
    const [pick, ...rest] = suggestSlots(free, { durationHours: 2 });
    expect(rest).toEqual([]);
    expect(pick!.preference).toBe("random");
    expect([0, 1, 2]).toContain(pick!.slot[0]);
  });
});
