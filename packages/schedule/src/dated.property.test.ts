import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  datedCaseArb,
  meetingArb,
  referenceBoard,
  referenceCalendar,
  referenceCommonDated,
  referenceHeatmapDated,
  referenceSuggestDated,
  stepArb,
} from "@w2meet/testing";
import { type Calendar, commonDated, heatmapDated, readWindow, suggestDated } from "./index.ts";

/** Each run walks the reference minute by minute: a few seconds in all, more on a busy machine. */
const TIMEOUT_MS = 30_000;

type DatedCase = { zone: string; from: string; days: number; now: number };

/** The calendar the window reader makes of a case (the generated windows are all valid). */
function calendarOfCase({ zone, from, days, now }: DatedCase): Calendar {
  const window = readWindow({ from, days, tz: zone }, now);
  if (Array.isArray(window) || !window.calendar) throw new Error(`no calendar for ${JSON.stringify({ zone, from, days, now, window })}`);
  return window.calendar;
}

const boardOfCase = (c: DatedCase & { people: Parameters<typeof referenceBoard>[0] }) =>
  referenceBoard(c.people, referenceCalendar({ from: c.from, days: c.days, tz: c.zone }));

describe("dated form against the minute-by-minute reference", () => {
  test(
    "readWindow: where the window starts and how its quarters fall into the display zone's dates",
    () => {
      fc.assert(
        fc.property(datedCaseArb, (c) => {
          const calendar = calendarOfCase(c);
          const reference = referenceCalendar({ from: c.from, days: c.days, tz: c.zone });
          expect({
            zone: calendar.zone,
            origin: calendar.origin,
            length: calendar.length,
            days: calendar.days.map((d) => ({ date: d.date, day: d.day, start: d.start, end: d.end })),
          }).toEqual({
            zone: reference.zone,
            origin: reference.origin,
            length: reference.length,
            days: reference.days.map((d) => ({ date: d.date, day: d.day, start: d.start, end: d.end })),
          });
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "commonDated: each date's common time on the wall clock, and the runs at real instants",
    () => {
      fc.assert(
        fc.property(datedCaseArb, (c) => {
          expect(commonDated(c.people, calendarOfCase(c))).toEqual(referenceCommonDated(boardOfCase(c)));
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "heatmapDated: cells of the display zone's wall clock per date",
    () => {
      fc.assert(
        fc.property(datedCaseArb, stepArb, (c, step) => {
          expect(heatmapDated(c.people, calendarOfCase(c), step)).toEqual(referenceHeatmapDated(boardOfCase(c), step));
        }),
        { numRuns: 150 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "suggestDated: ranked windows at real instants for any length, preference, limit, minAttendees and seed",
    () => {
      fc.assert(
        fc.property(
          datedCaseArb.chain((c) => fc.tuple(fc.constant(c), meetingArb(c.people.length))),
          ([c, options]) => {
            expect(suggestDated(c.people, calendarOfCase(c), options)).toEqual(referenceSuggestDated(boardOfCase(c), options));
          },
        ),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );
});
