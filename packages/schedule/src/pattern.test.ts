import { describe, expect, test } from "bun:test";
import { daySlotErrors, normalizeDay, normalizeWeek } from "./index.ts";

const EMPTY_WEEK = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };

describe("normalizeWeek", () => {
  test("answers all seven days in order; a missing day has no time", () => {
    const week = normalizeWeek({ sunday: [23], monday: [9] });
    expect(Object.keys(week)).toEqual(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
    expect(week).toEqual({ ...EMPTY_WEEK, monday: [9], sunday: [23] });
  });

  test("keeps whole hours as start hours, sorted and without repeats", () => {
    expect(normalizeWeek({ friday: [11, 9, 9, 10] })).toEqual({ ...EMPTY_WEEK, friday: [9, 10, 11] });
  });

  test("keeps a range with minutes a range, and merges items that overlap or touch", () => {
    expect(normalizeWeek({ tuesday: ["09:00-12:30"], wednesday: ["09:00-10:30", "10:00-11:15", 11, "14:45-15:00"] })).toEqual({
      ...EMPTY_WEEK,
      tuesday: ["09:00-12:30"],
      wednesday: ["09:00-12:00", "14:45-15:00"],
    });
  });
});

describe("normalizeDay", () => {
  test("a range on whole hours becomes start hours", () => {
    expect(normalizeDay(["10:00-11:00"])).toEqual([10]);
    expect(normalizeDay(["22:00-24:00", 8])).toEqual([8, 22, 23]);
  });

  test("hours and ranges together become ranges when any run has minutes", () => {
    expect(normalizeDay([9, "10:00-10:30"])).toEqual(["09:00-10:30"]);
    expect(normalizeDay([9, "12:00-12:15"])).toEqual(["09:00-10:00", "12:00-12:15"]);
  });

  test("a run to the end of the day ends at 24:00; a missing or empty day is empty", () => {
    expect(normalizeDay(["22:45-24:00"])).toEqual(["22:45-24:00"]);
    expect(normalizeDay(["00:00-24:00"])).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(normalizeDay(undefined)).toEqual([]);
    expect(normalizeDay([])).toEqual([]);
  });
});

describe("daySlotErrors", () => {
  test("names each range that ends before or where it starts by its index", () => {
    expect(daySlotErrors([9, "10:00-09:00", "11:00-12:00", "12:15-12:15"])).toEqual([
      { index: 1, message: expect.any(String) },
      { index: 3, message: expect.any(String) },
    ]);
  });

  test("finds nothing wrong with hours and forward ranges", () => {
    expect(daySlotErrors([0, 23, "00:00-24:00", "23:45-24:00"])).toEqual([]);
  });
});
