import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { referenceComingWeek, referenceReading, zonedInstantArb } from "@w2meet/testing";
import { comingWeek, dateOf, isoIn, localDay, offsetAt } from "./index.ts";

describe("zones against Temporal", () => {
  test("offsetAt, isoIn and localDay read an instant as Temporal does, across changes of clocks", () => {
    fc.assert(
      fc.property(zonedInstantArb, ({ zone, ms }) => {
        const at = Math.floor(ms / 1000) * 1000;
        expect({ offset: offsetAt(zone, at), date: dateOf(localDay(zone, at)), iso: isoIn(zone, at) }).toEqual(referenceReading(zone, at));
      }),
      { numRuns: 500 },
    );
  });

  test("comingWeek: the seven dates from today's in the zone, from that date's first instant", () => {
    fc.assert(
      fc.property(zonedInstantArb, ({ zone, ms }) => {
        const week = comingWeek(zone, ms);
        const reference = referenceComingWeek(zone, ms);
        expect({ origin: week.origin, length: week.length, days: week.days.map((d) => [d.date, d.day, d.start, d.end]) }).toEqual({
          origin: reference.origin,
          length: reference.length,
          days: reference.days.map((d) => [d.date, d.day, d.start, d.end]),
        });
      }),
      { numRuns: 300 },
    );
  });
});
