import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { weekArb, referenceCommon, referenceIntervals } from "@w2meet/testing";
import { commonFreeHours, freeIntervals } from "./common.ts";
import { emptyMask, maskToWeek, normalizeWeek, weekToMask } from "./week.ts";

const userA = { monday: [9, 10, 11], tuesday: [14] };
const userB = { monday: [9, 10, 11], tuesday: [14] };

describe("commonFreeHours", () => {
  test("two users free monday 9-11 and tuesday 14 share exactly those hours", () => {
    const common = commonFreeHours([weekToMask(userA), weekToMask(userB)]);
    expect(maskToWeek(common)).toEqual(normalizeWeek({ monday: [9, 10, 11], tuesday: [14] }));
  });

  test("keeps only the hours everyone is free", () => {
    const common = commonFreeHours([weekToMask({ monday: [8, 9, 10] }), weekToMask({ monday: [9, 10, 11], friday: [1] })]);
    expect(maskToWeek(common).monday).toEqual([9, 10]);
    expect(maskToWeek(common).friday).toEqual([]);
  });

  test("returns an empty mask for no masks", () => {
    expect(commonFreeHours([])).toEqual(emptyMask());
  });

  test("does not modify its input masks", () => {
    const a = weekToMask({ monday: [1, 2] });
    commonFreeHours([a, weekToMask({ monday: [2] })]);
    expect(maskToWeek(a).monday).toEqual([1, 2]);
  });

  test("equals set intersection of the weeks for any group", () => {
    fc.assert(
      fc.property(fc.array(weekArb, { maxLength: 8 }), (weeks) => {
        expect(maskToWeek(commonFreeHours(weeks.map(weekToMask)))).toEqual(referenceCommon(weeks));
      }),
    );
  });
});

describe("freeIntervals", () => {
  test("merges the seed users' common hours into monday 9-12 and tuesday 14-15", () => {
    const common = commonFreeHours([weekToMask(userA), weekToMask(userB)]);
    expect(freeIntervals(common)).toEqual([
      { day: "monday", start: 9, end: 12 },
      { day: "tuesday", start: 14, end: 15 },
    ]);
  });

  test("never crosses midnight between days", () => {
    const mask = weekToMask({ monday: [22, 23], tuesday: [0, 1], sunday: [23] });
    expect(freeIntervals(mask)).toEqual([
      { day: "monday", start: 22, end: 24 },
      { day: "tuesday", start: 0, end: 2 },
      { day: "sunday", start: 23, end: 24 },
    ]);
  });

  test("returns a whole day as one interval from 0 to 24", () => {
    const all = Array.from({ length: 24 }, (_, h) => h);
    expect(freeIntervals(weekToMask({ wednesday: all }))).toEqual([{ day: "wednesday", start: 0, end: 24 }]);
  });

  test("returns no intervals for an empty week", () => {
    expect(freeIntervals(emptyMask())).toEqual([]);
  });

  test("equals a scan of the week hour by hour for any week", () => {
    fc.assert(fc.property(weekArb, (week) => expect(freeIntervals(weekToMask(week))).toEqual(referenceIntervals(week))));
  });
});
