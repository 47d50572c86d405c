/** fast-check generators for weeks and groups of members, for the schedule package's property tests. */
import fc from "fast-check";
import { DAYS, type Day, type Preference } from "@w2meet/schedule";
import type { ReferenceMember } from "./schedule-reference.ts";

/** A possibly partial week as a client might send it. */
export type LooseWeek = Partial<Record<Day, number[]>>;

const hour = fc.integer({ min: 0, max: 23 });
const ALL_HOURS = Array.from({ length: 24 }, (_, h) => h);

// Uniform random hours rarely line up across people, so also generate full days and long runs.
const dayHours: fc.Arbitrary<number[]> = fc.oneof(
  fc.array(hour, { maxLength: 30 }),
  fc.constant(ALL_HOURS),
  fc.constant<number[]>([]),
  fc.tuple(hour, fc.integer({ min: 1, max: 24 })).map(([start, length]) => ALL_HOURS.slice(start, start + length)),
);

/** Any week: each day absent, empty, full, a run, or arbitrary (unsorted, duplicated) hours. */
export const weekArb: fc.Arbitrary<LooseWeek> = fc
  .array(fc.option(dayHours, { nil: undefined }), { minLength: 7, maxLength: 7 })
  .map((days) => {
    const week: LooseWeek = {};
    days.forEach((hours, d) => {
      if (hours !== undefined) week[DAYS[d]!] = hours;
    });
    return week;
  });

/** One of the three preferences. */
export const preferenceArb: fc.Arbitrary<Preference> = fc.constantFrom("first", "last", "random");

/**
 * 1–8 members, each either a shared base week with a few hours removed (so windows overlap often)
 * or an independent week, with unique emails.
 */
export const membersArb: fc.Arbitrary<ReferenceMember[]> = fc
  .tuple(
    weekArb,
    fc.array(
      fc.record({
        own: fc.option(weekArb, { nil: undefined }),
        removals: fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), hour), { maxLength: 6 }),
        preference: preferenceArb,
      }),
      { minLength: 1, maxLength: 8 },
    ),
  )
  .map(([base, specs]) =>
    specs.map((spec, i) => {
      const week: LooseWeek = {};
      for (const day of DAYS) {
        const hours = (spec.own ?? base)[day];
        if (hours === undefined) continue;
        week[day] = hours.filter((h) => !spec.removals.some(([d, r]) => DAYS[d] === day && r === h));
      }
      return { email: `user${i}@example.test`, week, preference: spec.preference };
    }),
  );

/** Meeting length, mostly short so that windows usually exist, sometimes anything up to a full day. */
export const durationArb: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 24 }));
