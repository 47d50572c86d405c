import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { DatedSuggestion, Suggestion } from "@w2meet/contracts";
import {
  datedCaseArb,
  meetingArb,
  referenceBlockersDated,
  referenceBlockersWeekly,
  referenceBoard,
  referenceCalendar,
  referenceLongestBlock,
  referenceWeek,
  weeklyCaseArb,
} from "@w2meet/testing";
import {
  calendarOf,
  explainDated,
  explainWeekly,
  type Explanation,
  type MeetingOptions,
  type PersonInput,
  readAssumption,
  readWindow,
  suggestDated,
  suggestWeekly,
} from "./index.ts";
import type { Assumption } from "./assume.ts";

const TIMEOUT_MS = 60_000;
/** Enough to list every window a board holds: all of them, not the best few. */
const ALL = 100_000;

type Place = { day: string; slot: number[] } | { start: string };
const keyOf = (place: Place) => ("start" in place ? place.start : `${place.day} ${place.slot.join("-")}`);
const DAY_ORDER = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const timeOf = (place: Place) =>
  "start" in place ? Date.parse(place.start) : DAY_ORDER.indexOf(place.day) * 100 + (place as { slot: number[] }).slot[0]!;
const earliest = (places: readonly Place[]) => [...places].sort((a, b) => timeOf(a) - timeOf(b))[0];

/**
 * A query's meeting options, with whose if-needed time counts sometimes narrowed, and meetings often made
 * longer so that about half the cases have nothing that fits and so something to relax.
 */
const optionsArb = (people: readonly PersonInput[]) =>
  fc
    .record({
      meeting: meetingArb(people.length),
      ifNeededOf: fc.option(fc.subarray(people.map((p) => p.email)), { nil: undefined }),
      longer: fc.constantFrom(1, 2, 4, 8),
    })
    .map(({ meeting, ifNeededOf, longer }) => ({
      meeting: { ...meeting, minutes: Math.min(1440, meeting.minutes * longer) },
      ifNeededOf,
    }));

/** The people as a query with `ifNeededOf` counts them (for the reference, which knows no such option). */
const counted = (people: readonly PersonInput[], ifNeededOf: readonly string[] | undefined): PersonInput[] =>
  people.map((p) =>
    ifNeededOf === undefined || ifNeededOf.includes(p.email)
      ? p
      : { ...p, if_needed: undefined, dates: p.dates?.map((d) => ({ date: d.date, available: d.available })) },
  );

/** Runs every suggestion a query with `options` gets, and checks what a relaxation claims of it. */
type Suggest = (options: MeetingOptions, people?: readonly PersonInput[]) => (Suggestion | DatedSuggestion)[];

function checkRelaxations(
  explanation: Explanation<Place>,
  people: readonly PersonInput[],
  options: MeetingOptions,
  suggest: Suggest,
  dayNames: readonly string[],
  /** The most real minutes a block of clock [start, end) of a day can cover (more than its clock's on a day clocks go back). */
  longest: (day: string, start: number, end: number) => number = (_day, start, end) => end - start,
) {
  const all = (changed: Partial<MeetingOptions>, group = people) =>
    suggest({ ...options, ...changed, preference: "first", limit: ALL }, group);
  const opens = (found: readonly Place[], claimed: { slots: number; first: Place }) => {
    expect(found.length).toBe(claimed.slots);
    expect(keyOf(earliest(found)!)).toBe(keyOf(claimed.first));
  };
  const r = explanation.relaxations;

  // Shorter: each listed length opens what it says; the lengths skipped between open nothing.
  const listed = new Map(r.shorter.map((s) => [s.minutes, s]));
  const shortest = r.shorter.at(-1)?.minutes ?? 15;
  for (let minutes = options.minutes - 15; minutes >= shortest; minutes -= 15) {
    const found = all({ minutes });
    const offer = listed.get(minutes);
    if (offer) opens(found, offer);
    else expect(found).toEqual([]);
  }

  // Fewer attendees: the windows missing exactly the named people; no higher min_attendees opens any.
  const n = people.length;
  const min = Math.min(n, Math.max(1, Math.ceil(options.minAttendees ?? n)));
  for (const f of r.fewer_attendees) {
    const found = all({ minAttendees: f.min_attendees }).filter((s) => s.missing.join() === f.missing.join());
    opens(found, f);
  }
  const highest = r.fewer_attendees[0]?.min_attendees ?? 1;
  for (let m = min - 1; m > highest && m >= 2; m--) expect(all({ minAttendees: m })).toEqual([]);

  // Leaving one optional person out; everyone not offered opens nothing (when fewer than five are).
  for (const d of r.drop_optional) {
    const found = all(
      { minAttendees: Math.min(min, n - 1) },
      people.filter((p) => p.email !== d.email),
    );
    opens(found, d);
    expect(options.required ?? []).not.toContain(d.email);
  }
  if (r.drop_optional.length < 5 && n - 1 >= 2) {
    for (const p of people) {
      if (r.drop_optional.some((d) => d.email === p.email) || options.required?.includes(p.email)) continue;
      expect(
        all(
          { minAttendees: Math.min(min, n - 1) },
          people.filter((q) => q.email !== p.email),
        ),
      ).toEqual([]);
    }
  }

  // One person's if-needed time counted.
  for (const d of r.if_needed) opens(all({ ifNeededOf: [...(options.ifNeededOf ?? []), d.email] }), d);

  // One block freed: it opens what it says, and no block of that person shorter in real time opens anything.
  for (const b of r.free_block) {
    const assumed = readAssumption(`${b.assume.email}:${b.assume.day}:${clock(b.assume.start)}-${clock(b.assume.end)}`) as Assumption;
    expect(assumed).toEqual(b.assume);
    opens(all({ assume: [b.assume] }), b);
    if (b.minutes <= 30) {
      for (let minutes = 15; minutes < b.minutes; minutes += 15) {
        for (const day of dayNames) {
          for (let start = 0; start + minutes <= 1440; start += 15) {
            if (longest(day, start, start + minutes) >= b.minutes) continue;
            expect(all({ assume: [{ email: b.email, day, start, end: start + minutes }] })).toEqual([]);
          }
        }
      }
    }
  }
}

/** A dated query: the case, and the options asked of it. */
const datedQueryArb = datedCaseArb.chain((c) => fc.record({ case: fc.constant(c), options: optionsArb(c.people) }));
type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

/**
 * Found by the dated property: on Lord Howe's last day of summer time clocks go back half an hour at 02:00, so
 * the clock's 01:45–02:00 runs from the first 01:45 to 02:00, 45 minutes. A 30-minute block is the shortest
 * in time that opens a slot, though that 15 minutes of clock opens one too.
 */
const CLOCKS_GO_BACK_HALF_AN_HOUR: Generated<typeof datedQueryArb> = {
  case: {
    zone: "Australia/Lord_Howe",
    from: "2026-04-05",
    days: 1,
    now: 1776383400000,
    people: [
      { email: "p0@example.test", availabilities: { sunday: ["14:00-24:00"] }, preference: "first", time_zone: "America/Santiago" },
      { email: "p1@example.test", availabilities: { sunday: ["23:00-24:00"] }, preference: "random" },
    ],
  },
  options: { meeting: { minutes: 30, minAttendees: 0, seed: "", required: ["p1@example.test"] }, ifNeededOf: [] },
};

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

describe("explanations against brute force", () => {
  test(
    "weekday form: slot count, blockers, and every relaxation opening exactly what it names, none smaller",
    () => {
      const caseArb = weeklyCaseArb.chain((c) => fc.record({ case: fc.constant(c), options: optionsArb(c.people) }));
      fc.assert(
        fc.property(caseArb, ({ case: { zone, now, people }, options: { meeting, ifNeededOf } }) => {
          const options: MeetingOptions = { ...meeting, ifNeededOf };
          const explanation = explainWeekly(people, zone, now, options);
          const suggest: Suggest = (o, group = people) => suggestWeekly(group, zone, now, o);
          const windows = suggest({ ...options, preference: "first", limit: ALL });
          expect(explanation.slots).toBe(windows.length);
          expect(explanation.feasible).toBe(windows.length > 0);
          expect(explanation.blockers).toEqual(referenceBlockersWeekly(referenceWeek(counted(people, ifNeededOf), zone, now), options));
          const required = options.required ?? [];
          for (const window of windows) for (const email of required) expect(window.attendees).toContain(email);
          if (explanation.feasible) expect(Object.values(explanation.relaxations).flat()).toEqual([]);
          else checkRelaxations(explanation as Explanation<Place>, people, options, suggest, DAY_ORDER);
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT_MS,
  );

  test(
    "dated form: the same, and more days from the same start opening what they name",
    () => {
      fc.assert(
        fc.property(datedQueryArb, ({ case: { zone, from, days, now, people }, options: { meeting, ifNeededOf } }) => {
          const options: MeetingOptions = { ...meeting, ifNeededOf };
          const window = readWindow({ from, days, tz: zone }, now);
          if (Array.isArray(window) || !window.calendar) throw new Error("the case's window must be valid");
          const { calendar } = window;
          const maxDays = days + 3;
          const explanation = explainDated(people, calendar, options, maxDays);
          const suggest: Suggest = (o, group = people) => suggestDated(group, calendar, o);
          const windows = suggest({ ...options, preference: "first", limit: ALL });
          expect(explanation.slots).toBe(windows.length);
          for (const window of windows) for (const email of options.required ?? []) expect(window.attendees).toContain(email);
          const board = referenceBoard(counted(people, ifNeededOf), referenceCalendar({ from, days, tz: zone }));
          expect(explanation.blockers).toEqual(referenceBlockersDated(board, options));
          if (explanation.feasible) return;
          checkRelaxations(
            explanation as Explanation<Place>,
            people,
            options,
            suggest,
            calendar.days.map((d) => d.date),
            (date, start, end) => referenceLongestBlock(zone, date, start, end),
          );
          const wider = new Map(explanation.relaxations.wider_window.map((w) => [w.days, w]));
          const last = explanation.relaxations.wider_window.at(-1)?.days ?? maxDays;
          let before = 0;
          for (let more = days + 1; more <= last; more++) {
            const longer = calendarOf(zone, calendar.days[0]!.dayNumber, more, calendar.origin);
            const found = suggestDated(people, longer, { ...options, preference: "first", limit: ALL });
            const offer = wider.get(more);
            if (offer) {
              expect(found.length).toBe(offer.slots);
              expect(keyOf(earliest(found)!)).toBe(keyOf(offer.first));
            } else expect(found.length).toBe(before);
            before = found.length;
          }
        }),
        { numRuns: 120, examples: [[CLOCKS_GO_BACK_HALF_AN_HOUR]] },
      );
    },
    TIMEOUT_MS,
  );
});
