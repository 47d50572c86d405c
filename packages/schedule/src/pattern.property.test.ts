import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { daySlotsArb, referenceNormalizeDay } from "@w2meet/testing";
import { DAYS, daySlotErrors, normalizeDay, normalizeWeek } from "./index.ts";

describe("a day's input in its answered form", () => {
  test("normalizeDay merges the quarters the items name: start hours when all runs are whole hours, else ranges", () => {
    fc.assert(
      fc.property(daySlotsArb, (slots) => {
        expect(normalizeDay(slots)).toEqual(referenceNormalizeDay(slots));
      }),
      { numRuns: 1000 },
    );
  });

  test("the answered form is a fixed point, valid input, and the same day by day in a week", () => {
    fc.assert(
      fc.property(fc.array(daySlotsArb, { minLength: 7, maxLength: 7 }), (days) => {
        const week = normalizeWeek(Object.fromEntries(DAYS.map((day, d) => [day, days[d]])));
        DAYS.forEach((day, d) => {
          expect(week[day]).toEqual(normalizeDay(days[d]));
          expect(normalizeDay(week[day])).toEqual(week[day]);
          expect(daySlotErrors(week[day])).toEqual([]);
        });
      }),
      { numRuns: 300 },
    );
  });
});
