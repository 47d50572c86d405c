/**
 * Explaining a group's answer in the terms of the query: people by email, windows as places (a weekday and
 * hours, or a dated interval), and each relaxation with the windows it opens and the earliest of them.
 */
import type { DatedInterval, Day } from "@w2meet/contracts";
import { type Assumption, markAssumed } from "./assume.ts";
import { bitsOf, setRange } from "./bits.ts";
import { type Board, type Calendar, calendarOf, WEEK_BOARD } from "./calendar.ts";
import { explainBoard, type Group } from "./explain.ts";
import { longerWindows } from "./relax.ts";
import type { Count, Rules } from "./fit.ts";
import { calendarMembers, type MeetingOptions, type PersonInput, placeOf, weekMembers } from "./group.ts";
import { DAYS, hoursOf, QUARTERS_PER_DAY } from "./pattern.ts";
import { clampAttendees, type Member, requiredFlags } from "./suggest.ts";

/** A window in the weekday form. */
export type WeekPlace = { day: Day; slot: [number, number] };

type Opened<P> = { slots: number; first: P };

/** Why a group has the windows it has, and what would open some when none fits. */
export type Explanation<P> = {
  feasible: boolean;
  slots: number;
  blockers: { email: string; slots: number }[];
  relaxations: {
    shorter: (Opened<P> & { minutes: number })[];
    fewer_attendees: (Opened<P> & { min_attendees: number; missing: string[] })[];
    drop_optional: (Opened<P> & { email: string })[];
    if_needed: (Opened<P> & { email: string })[];
    free_block: (Opened<P> & { email: string; block: P; minutes: number; assume: Assumption })[];
    wider_window: (Opened<P> & { days: number })[];
  };
};

/** Where quarters [start, end) of a board lie, in the answer's terms. */
type Placer<P> = (start: number, end: number) => P;

function rulesOf(members: readonly Member[], options: MeetingOptions): Rules {
  return {
    quarters: options.minutes / 15,
    min: clampAttendees(options.minAttendees, members.length),
    required: requiredFlags(members, options.required),
  };
}

/** The tiers with if-needed time of the members the query counted without it. */
function withIfNeeded(members: readonly Member[], full: readonly Member[] | null): Group["withIfNeeded"] {
  if (!full) return members.map(() => null);
  return members.map((member, p) => {
    const tiers = full[p]!;
    return tiers.reach.some((word, w) => word !== member.reach[w]) ? tiers : null;
  });
}

function explainMembers<P>(
  members: readonly Member[],
  full: readonly Member[] | null,
  group: {
    board: Board | Calendar;
    options: MeetingOptions;
    place: Placer<P>;
    /** Quarters [start, end) of a day as an assumption's day and minutes of the display zone's clock. */
    assumeAt: (start: number, end: number) => { day: string; start: number; end: number };
  },
): Explanation<P> {
  const rules = rulesOf(members, group.options);
  const found = explainBoard({ board: group.board, members, rules, withIfNeeded: withIfNeeded(members, full) });
  const email = (p: number) => members[p]!.email;
  const opened = (count: Count, quarters = rules.quarters): Opened<P> => ({
    slots: count.slots,
    first: group.place(count.first, count.first + quarters),
  });
  return {
    feasible: found.count.slots > 0,
    slots: found.count.slots,
    blockers: found.blockers.map((b) => ({ email: email(b.member), slots: b.slots })),
    relaxations: {
      shorter: found.shorter.map((s) => ({ minutes: s.quarters * 15, ...opened(s.count, s.quarters) })),
      fewer_attendees: found.fewer.map((f) => ({ min_attendees: f.min, missing: f.missing.map(email), ...opened(f.count) })),
      drop_optional: found.drop.map((d) => ({ email: email(d.member), ...opened(d.count) })),
      if_needed: found.ifNeeded.map((d) => ({ email: email(d.member), ...opened(d.count) })),
      free_block: found.block.flatMap((b) => {
        const assume = { email: email(b.member), ...group.assumeAt(b.start, b.end) };
        // A block in an hour clocks repeat (going back) has no wall-clock name of its own: not offered.
        if (!names(group.board, assume, b.start, b.end)) return [];
        const minutes = (b.end - b.start) * 15;
        return [{ email: email(b.member), block: group.place(b.start, b.end), minutes, assume, ...opened(b.count) }];
      }),
      wider_window: [],
    },
  };
}

/** Whether the assumption covers exactly quarters [start, end) of the board. */
function names(board: Board | Calendar, assume: Assumption, start: number, end: number): boolean {
  const bits = bitsOf(board.length);
  markAssumed(board, assume, bits);
  const expected = bitsOf(board.length);
  setRange(expected, start, end);
  return bits.every((word, w) => word === expected[w]);
}

/** The explanation in the weekday form: the coming week in `zone`, folded onto its wall clock. */
export function explainWeekly(people: readonly PersonInput[], zone: string, now: number, options: MeetingOptions): Explanation<WeekPlace> {
  const members = weekMembers(people, zone, now, options);
  const full = options.ifNeededOf === undefined ? null : weekMembers(people, zone, now, { ...options, ifNeededOf: undefined });
  const weekPlace = (start: number, end: number): WeekPlace => {
    const d = Math.floor(start / QUARTERS_PER_DAY);
    return { day: DAYS[d]!, slot: [hoursOf(start - d * QUARTERS_PER_DAY), hoursOf(end - d * QUARTERS_PER_DAY)] };
  };
  return explainMembers(members, full, {
    board: WEEK_BOARD,
    options,
    place: weekPlace,
    assumeAt: (start, end) => {
      const d = Math.floor(start / QUARTERS_PER_DAY);
      return { day: DAYS[d]!, start: (start - d * QUARTERS_PER_DAY) * 15, end: (end - d * QUARTERS_PER_DAY) * 15 };
    },
  });
}

const datedPlacer =
  (calendar: Calendar): Placer<DatedInterval> =>
  (start, end) => {
    let d = 0;
    while (calendar.days[d]!.end <= start) d++;
    return placeOf(calendar, d, start, end);
  };

/**
 * The explanation on a calendar. With `maxDays` above the calendar's days, longer windows from the same start
 * are tried too.
 */
export function explainDated(
  people: readonly PersonInput[],
  calendar: Calendar,
  options: MeetingOptions,
  maxDays = calendar.days.length,
): Explanation<DatedInterval> {
  const members = calendarMembers(people, calendar, options);
  const full = options.ifNeededOf === undefined ? null : calendarMembers(people, calendar, { ...options, ifNeededOf: undefined });
  const place = datedPlacer(calendar);
  const explanation = explainMembers(members, full, {
    board: calendar,
    options,
    place,
    assumeAt: (start, end) => {
      const { date, slot } = place(start, end);
      return { day: date, start: Math.round(slot[0] * 60), end: Math.round(slot[1] * 60) };
    },
  });
  if (explanation.feasible || maxDays <= calendar.days.length) return explanation;
  const longer = calendarOf(calendar.zone, calendar.days[0]!.dayNumber, maxDays, calendar.origin);
  const longerMembers = calendarMembers(people, longer, options);
  const rules = rulesOf(longerMembers, options);
  const placeLonger = datedPlacer(longer);
  explanation.relaxations.wider_window = longerWindows(
    { board: longer, members: longerMembers, rules, withIfNeeded: [] },
    calendar.days.length,
  ).map((w) => ({ days: w.days, slots: w.count.slots, first: placeLonger(w.count.first, w.count.first + rules.quarters) }));
  return explanation;
}
