/**
 * fast-check generators for the schedule package's property tests: people with weekly patterns in their own
 * time zones (whole hours and quarter-hour ranges), dated exceptions and if-needed time; instants and
 * windows that often hit a daylight-saving change; and meeting options.
 */
import fc from "fast-check";
import type { DaySlot } from "@w2meet/contracts";
import { DAYS, type Day, type MeetingOptions, type PersonInput, type Preference } from "@w2meet/schedule";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * Zones with offsets off the hour (India +05:30, Nepal +05:45, Chatham +12:45/+13:45, Newfoundland -03:30),
 * Lord Howe's 30-minute daylight saving, the usual changes in both hemispheres, changes at midnight (Santiago,
 * Havana: a date that starts at 01:00), and a few without any.
 */
const CHANGING = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/St_Johns",
  "America/Santiago",
  "America/Havana",
] as const;
const ZONES = [...CHANGING, "UTC", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "America/Phoenix", "Africa/Nairobi"] as const;

/** Any zone of {@link ZONES}, those whose clocks change a little more often. */
const zoneArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ZONES), weight: 2 },
  { arbitrary: fc.constantFrom(...CHANGING), weight: 1 },
);

/** The first Sunday on or after a day of a month (1-based), as a UTC midnight: the zone database's `Sun>=day`. */
function sunday(year: number, month: number, day: number): number {
  const from = new Date(Date.UTC(year, month - 1, day));
  return from.getTime() + ((7 - from.getUTCDay()) % 7) * DAY_MS;
}

const YEARS = [2025, 2026, 2027, 2028];

/** Dates clocks change on in 2025–2028, by zone (the last Sunday of March is `Sun>=25`). */
const CHANGES: Record<string, number[]> = {
  "Europe/Berlin": YEARS.flatMap((y) => [sunday(y, 3, 25), sunday(y, 10, 25)]),
  "America/New_York": YEARS.flatMap((y) => [sunday(y, 3, 8), sunday(y, 11, 1)]),
  "America/St_Johns": YEARS.flatMap((y) => [sunday(y, 3, 8), sunday(y, 11, 1)]),
  "Australia/Sydney": YEARS.flatMap((y) => [sunday(y, 4, 1), sunday(y, 10, 1)]),
  "Australia/Lord_Howe": YEARS.flatMap((y) => [sunday(y, 4, 1), sunday(y, 10, 1)]),
  "Pacific/Chatham": YEARS.flatMap((y) => [sunday(y, 4, 1), sunday(y, 9, 24)]),
  "America/Santiago": YEARS.flatMap((y) => [sunday(y, 4, 2), sunday(y, 9, 2)]),
  "America/Havana": YEARS.flatMap((y) => [sunday(y, 3, 8), sunday(y, 11, 1)]),
};
const ALL_CHANGES = Object.values(CHANGES).flat();

const FIRST = Date.UTC(2025, 0, 1);
const LAST = Date.UTC(2028, 11, 31);

/** An instant on the minute anywhere in 2025–2028. */
const anyInstant = fc.integer({ min: FIRST / MINUTE_MS, max: LAST / MINUTE_MS }).map((minutes) => minutes * MINUTE_MS);

/**
 * An instant on the minute, usually from `before` days before to `after` days after a change of clocks (mostly
 * one of `zone`'s own), else anywhere in 2025–2028.
 */
const instantNear = (zone: string, before: number, after: number): fc.Arbitrary<number> =>
  fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...(CHANGES[zone] ?? ALL_CHANGES)), fc.integer({ min: -before * 1440, max: after * 1440 }))
        .map(([change, minutes]) => change + minutes * MINUTE_MS),
      weight: 3,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...ALL_CHANGES), fc.integer({ min: -before * 1440, max: after * 1440 }))
        .map(([change, minutes]) => change + minutes * MINUTE_MS),
      weight: 1,
    },
    { arbitrary: anyInstant, weight: 1 },
  );

/** A zone and an instant in it (sometimes off the minute), usually within two days of one of its changes of clocks. */
export const zonedInstantArb: fc.Arbitrary<{ zone: string; ms: number }> = zoneArb.chain((zone) =>
  fc.record({
    zone: fc.constant(zone),
    ms: fc.tuple(instantNear(zone, 2, 2), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 59_999 }))).map(([ms, extra]) => ms + extra),
  }),
);

const hhmm = (quarter: number): string =>
  `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`;

/** A run of whole hours as start hours. */
const hourRun = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 }))
  .map(([start, length]) => Array.from({ length: Math.min(24, start + length) - start }, (_, h) => start + h));

/** One `"HH:MM-HH:MM"` range on the 15-minute grid, sometimes on whole hours. */
const range = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 })).map(([s, n]) => `${hhmm(s)}-${hhmm(Math.min(96, s + n))}`),
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 }))
    .map(([h, n]) => `${hhmm(h * 4)}-${hhmm(Math.min(24, h + n) * 4)}`),
);

/** A day's input: empty, all day, a run of hours, a range, both, or scattered items (unsorted, overlapping). */
export const daySlotsArb: fc.Arbitrary<DaySlot[]> = fc.oneof(
  { arbitrary: fc.constant<DaySlot[]>([]), weight: 1 },
  { arbitrary: fc.constantFrom<DaySlot[]>(["00:00-24:00"], [9, 10, 11, 12, 13, 14, 15, 16]), weight: 1 },
  { arbitrary: hourRun, weight: 4 },
  { arbitrary: range.map((r) => [r]), weight: 3 },
  { arbitrary: fc.tuple(hourRun, range).map(([hours, r]): DaySlot[] => [...hours, r]), weight: 2 },
  { arbitrary: fc.array(fc.oneof(fc.integer({ min: 0, max: 23 }), range), { maxLength: 5 }), weight: 2 },
);

type WeekInput = Partial<Record<Day, DaySlot[]>>;

/** A week's input; days are present with probability `present` (in tenths). */
const weekArb = (present: number): fc.Arbitrary<WeekInput> =>
  fc.array(fc.tuple(fc.integer({ min: 1, max: 10 }), daySlotsArb), { minLength: 7, maxLength: 7 }).map((days) => {
    const week: WeekInput = {};
    days.forEach(([roll, slots], d) => {
      if (roll <= present) week[DAYS[d]!] = slots;
    });
    return week;
  });

const preferenceArb: fc.Arbitrary<Preference> = fc.constantFrom("first", "last", "random");

const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * A group of 1–6 people sharing a base week (each with some days of their own) and often an if-needed week, so
 * that common time exists.
 * `zone`: everyone's zone; else each is in the group's zone (`groupZone`, or one drawn), in another, or in none
 * (UTC). `near`: some have exceptions on dates [near.first - 2, near.last + 2] (days since 1970-01-01); else none do.
 */
export function groupArb(options: {
  zone?: string;
  groupZone?: string;
  near?: { first: number; last: number };
}): fc.Arbitrary<PersonInput[]> {
  type Exception = { day: number; available: DaySlot[]; if_needed?: DaySlot[] };
  const exceptionArb = (near: { first: number; last: number }): fc.Arbitrary<Exception[]> =>
    fc.oneof(
      fc.constant<Exception[]>([]),
      fc.uniqueArray(
        fc.record(
          { day: fc.integer({ min: near.first - 2, max: near.last + 2 }), available: daySlotsArb, if_needed: daySlotsArb },
          { requiredKeys: ["day", "available"] },
        ),
        { minLength: 1, maxLength: 3, selector: (e) => e.day },
      ),
    );
  const personArb = (groupZone: string, ifNeeded: WeekInput) =>
    fc.record(
      {
        own: fc.array(fc.option(daySlotsArb, { nil: undefined, freq: 3 }), { minLength: 7, maxLength: 7 }),
        if_needed: fc.oneof(fc.constant(ifNeeded), weekArb(3)),
        time_zone: options.zone !== undefined ? fc.constant(options.zone) : fc.oneof(fc.constant(groupZone), zoneArb),
        dates: options.near ? exceptionArb(options.near) : fc.constant<Exception[]>([]),
        preference: preferenceArb,
      },
      { requiredKeys: ["own", "preference", "dates"] },
    );
  return fc
    .tuple(weekArb(8), weekArb(6), options.groupZone ? fc.constant(options.groupZone) : zoneArb)
    .chain(([base, ifNeeded, groupZone]) =>
      fc.tuple(fc.constant(base), fc.array(personArb(groupZone, ifNeeded), { minLength: 1, maxLength: 6 })),
    )
    .map(([base, specs]) =>
      specs.map((spec, i): PersonInput => {
        const availabilities: WeekInput = {};
        DAYS.forEach((day, d) => {
          const slots = spec.own[d] ?? base[day];
          if (slots) availabilities[day] = slots;
        });
        const person: PersonInput = { email: `p${i}@example.test`, availabilities, preference: spec.preference };
        if (spec.if_needed) person.if_needed = spec.if_needed;
        if (spec.time_zone) person.time_zone = spec.time_zone;
        if (spec.dates.length) {
          person.dates = spec.dates.map((e) => ({
            date: dateOf(e.day),
            available: e.available,
            ...(e.if_needed ? { if_needed: e.if_needed } : {}),
          }));
        }
        return person;
      }),
    );
}

/** Heatmap cell widths. */
export const stepArb: fc.Arbitrary<number> = fc.constantFrom(15, 30, 60);

/**
 * Meeting options for a group of `n`: lengths in whole hours, in quarters up to 4 hours, or now and then up to a
 * day; any preference or none; limit, minAttendees (sometimes out of range or fractional) and a seed.
 */
export const meetingArb = (n: number): fc.Arbitrary<MeetingOptions & { seed: string }> =>
  fc.record(
    {
      minutes: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 4 }).map((h) => h * 60), weight: 3 },
        { arbitrary: fc.integer({ min: 1, max: 16 }).map((q) => q * 15), weight: 3 },
        { arbitrary: fc.integer({ min: 1, max: 96 }).map((q) => q * 15), weight: 1 },
      ),
      preference: preferenceArb,
      limit: fc.integer({ min: 1, max: 6 }),
      minAttendees: fc.oneof(fc.integer({ min: 0, max: n + 1 }), fc.double({ min: 0, max: n + 1, noNaN: true })),
      seed: fc.string({ maxLength: 8 }),
      required: fc.subarray(Array.from({ length: n }, (_, i) => `p${i}@example.test`)),
    },
    { requiredKeys: ["minutes", "seed"] },
  );

/** A weekday-form case: display zone, now, and a group with exceptions around the coming week. */
export const weeklyCaseArb: fc.Arbitrary<{ zone: string; now: number; people: PersonInput[] }> = fc
  .tuple(zoneArb, fc.boolean())
  .chain(([zone, together]) => fc.tuple(fc.constant(zone), instantNear(zone, 7, 1), fc.constant(together)))
  .chain(([zone, now, together]) => {
    const today = Math.floor(now / DAY_MS);
    return fc.record({
      zone: fc.constant(zone),
      now: fc.constant(now),
      people: groupArb({ near: { first: today - 1, last: today + 7 }, ...(together && { groupZone: zone }) }),
    });
  });

const offsetText = (minutes: number): string => {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
};

/**
 * A dated window's `from`, of the instant `at`: its date, the instant with `Z` or another offset (on the minute,
 * sometimes with seconds), or a wall-clock date-time without offset (often in the small hours, when clocks change).
 */
const fromArb = (at: number): fc.Arbitrary<string> => {
  const date = dateOf(Math.floor(at / DAY_MS));
  const two = (n: number) => String(n).padStart(2, "0");
  return fc.oneof(
    { arbitrary: fc.constant(date), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 59 }).map((s) => new Date(at + s * 1000).toISOString().replace(".000", "")), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(-210, -300, 60, 330, 345, 765)
        .map((offset) => `${new Date(at + offset * MINUTE_MS).toISOString().slice(0, 19)}${offsetText(offset)}`),
      weight: 1,
    },
    { arbitrary: fc.constant(new Date(at).toISOString().slice(0, 16)), weight: 1 },
    // Early morning on the day, when clocks change: a wall time that is skipped or occurs twice.
    {
      arbitrary: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${date}T${two(h)}:${two(m)}`),
      weight: 1,
    },
  );
};

/** A dated case: display zone, a window of 1–4 days, a `now` before or just after it, and a group with exceptions near it. */
export const datedCaseArb: fc.Arbitrary<{ zone: string; from: string; days: number; now: number; people: PersonInput[] }> = fc
  .tuple(zoneArb, fc.integer({ min: 1, max: 4 }), fc.boolean())
  .chain(([zone, days, together]) => fc.tuple(fc.constant(zone), instantNear(zone, days - 1, 1), fc.constant(days), fc.constant(together)))
  .chain(([zone, at, days, together]) => {
    const first = Math.floor(at / DAY_MS);
    return fc.record({
      zone: fc.constant(zone),
      from: fromArb(at),
      days: fc.constant(days),
      now: fc.integer({ min: -300, max: 30 }).map((d) => at + d * DAY_MS),
      people: groupArb({ near: { first, last: first + days }, ...(together && { groupZone: zone }) }),
    });
  });
