import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { weekArb } from "@w2meet/testing";
import { DAYS, emptyMask, hoursMask, maskToWeek, normalizeWeek, weekToMask, windowStarts } from "./week.ts";

const EMPTY_WEEK = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };

describe("week masks", () => {
  test("DAYS lists the seven days starting on monday", () => {
    expect([...DAYS]).toEqual(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
  });

  test("an empty mask has seven days with no free hours", () => {
    const mask = emptyMask();
    expect(mask).toBeInstanceOf(Uint32Array);
    expect([...mask]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(maskToWeek(mask)).toEqual(EMPTY_WEEK);
  });

  test("weekToMask sets bit h of day d for each free hour", () => {
    const mask = weekToMask({ monday: [9, 10, 11], tuesday: [14], sunday: [0, 23] });
    expect([...mask]).toEqual([0b111 << 9, 1 << 14, 0, 0, 0, 0, (1 << 23) | 1]);
  });

  test("weekToMask treats missing days as busy and ignores duplicates", () => {
    expect([...weekToMask({ friday: [3, 3, 1] })]).toEqual([0, 0, 0, 0, 0b1010, 0, 0]);
  });

  test("maskToWeek lists all seven days in order with hours ascending", () => {
    const week = maskToWeek(weekToMask({ sunday: [23, 0], monday: [12] }));
    expect(Object.keys(week)).toEqual([...DAYS]);
    expect(week).toEqual({ ...EMPTY_WEEK, monday: [12], sunday: [0, 23] });
  });

  test("a fully free week round-trips with 168 hours", () => {
    const all = Array.from({ length: 24 }, (_, h) => h);
    const week = Object.fromEntries(DAYS.map((day) => [day, all]));
    const mask = weekToMask(week);
    expect([...mask].every((day) => day === 0xffffff)).toBe(true);
    expect(maskToWeek(mask)).toEqual(normalizeWeek(week));
  });

  test("normalizeWeek deduplicates, sorts numerically and fills missing days", () => {
    expect(normalizeWeek({ tuesday: [10, 2, 10, 9] })).toEqual({ ...EMPTY_WEEK, tuesday: [2, 9, 10] });
  });

  test("maskToWeek of weekToMask equals normalizeWeek for any week", () => {
    fc.assert(fc.property(weekArb, (week) => expect(maskToWeek(weekToMask(week))).toEqual(normalizeWeek(week))));
  });
});

describe("window helpers", () => {
  test("hoursMask covers the whole day for a 24-hour window as an unsigned number", () => {
    expect(hoursMask(0, 24)).toBe(0xffffff);
    expect(hoursMask(9, 3)).toBe(0b111 << 9);
    expect(hoursMask(23, 1)).toBe(1 << 23);
  });

  test("windowStarts marks exactly the starts whose whole window is free", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: 1, max: 24 }), (day, duration) => {
        let expected = 0;
        for (let start = 0; start + duration <= 24; start++) {
          let free = true;
          for (let h = start; h < start + duration; h++) free &&= (day & (1 << h)) !== 0;
          if (free) expected |= 1 << start;
        }
        expect(windowStarts(day, duration)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  test("windowStarts finds the single start of a fully free day for 24 hours", () => {
    expect(windowStarts(0xffffff, 24)).toBe(1);
    expect(windowStarts(0xfffffe, 24)).toBe(0);
  });
});
