import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  groupArb,
  meetingArb,
  patternWeek,
  referenceCommonWeekly,
  referenceHeatmapWeekly,
  referenceSuggestWeekly,
  referenceWeek,
  stepArb,
  weeklyCaseArb,
} from "@w2meet/testing";
import { commonWeekly, heatmapWeekly, suggestWeekly } from "./index.ts";

/** Each run walks the reference minute by minute: a few seconds in all, more on a busy machine. */
const TIMEOUT_MS = 30_000;

/** A weekday-form case with meeting options for its group. */
const meetingCaseArb = weeklyCaseArb.chain((c) => fc.record({ case: fc.constant(c), options: meetingArb(c.people.length) }));

/** A group all in UTC without exceptions, at any time of 2025–2028. */
const utcCaseArb = fc.record({
  people: groupArb({ zone: "UTC" }),
  now: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) }),
});

describe("weekday form against the minute-by-minute reference", () => {
  test(
    "commonWeekly: the week and intervals everyone is free, over the coming week in the display zone",
    () => {
      fc.assert(
        fc.property(weeklyCaseArb, ({ zone, now, people }) => {
          expect(commonWeekly(people, zone, now)).toEqual(referenceCommonWeekly(referenceWeek(people, zone, now)));
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "heatmapWeekly: who is free, and who only if needed, in each cell of 15, 30 or 60 minutes",
    () => {
      fc.assert(
        fc.property(weeklyCaseArb, stepArb, ({ zone, now, people }, step) => {
          expect(heatmapWeekly(people, zone, now, step)).toEqual(referenceHeatmapWeekly(referenceWeek(people, zone, now), step));
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "suggestWeekly: ranked windows for any length, preference, limit, minAttendees and seed (lazy shuffles equal full ones)",
    () => {
      fc.assert(
        fc.property(meetingCaseArb, ({ case: { zone, now, people }, options }) => {
          expect(suggestWeekly(people, zone, now, options)).toEqual(referenceSuggestWeekly(referenceWeek(people, zone, now), options));
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "random suggestions without a seed are distinct qualifying windows, as many as the limit allows",
    () => {
      fc.assert(
        fc.property(meetingCaseArb, ({ case: { zone, now, people }, options }) => {
          const { seed: _, ...unseeded } = { ...options, preference: "random" as const };
          const key = (s: { day: string; slot: number[] }) => `${s.day} ${s.slot[0]}`;
          const all = referenceSuggestWeekly(referenceWeek(people, zone, now), { ...options, preference: "first", limit: 672 });
          const qualifying = new Set(all.map(key));
          const answer = suggestWeekly(people, zone, now, unseeded).map(key);
          expect(new Set(answer).size).toBe(answer.length);
          expect(answer.filter((k) => !qualifying.has(k))).toEqual([]);
          expect(answer.length).toBe(Math.min(options.limit ?? 1, qualifying.size));
        }),
        { numRuns: 100 },
      );
    },
    TIMEOUT_MS,
  );
});

describe("a group all in UTC without exceptions gets its weekly patterns' answer, whatever the week", () => {
  test(
    "common time",
    () => {
      fc.assert(
        fc.property(utcCaseArb, ({ people, now }) => {
          expect(commonWeekly(people, "UTC", now)).toEqual(referenceCommonWeekly(patternWeek(people)));
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "heatmap",
    () => {
      fc.assert(
        fc.property(utcCaseArb, stepArb, ({ people, now }, step) => {
          expect(heatmapWeekly(people, "UTC", now, step)).toEqual(referenceHeatmapWeekly(patternWeek(people), step));
        }),
        { numRuns: 100 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "suggestions",
    () => {
      fc.assert(
        fc.property(
          utcCaseArb.chain((c) => fc.tuple(fc.constant(c), meetingArb(c.people.length))),
          ([{ people, now }, options]) => {
            expect(suggestWeekly(people, "UTC", now, options)).toEqual(referenceSuggestWeekly(patternWeek(people), options));
          },
        ),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );
});
