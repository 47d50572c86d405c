/**
 * Brute-force reference of the schedule package's time model, for property tests. It walks real instants
 * minute by minute: every offset, transition and calendar date comes from the Temporal polyfill (its own
 * reading of the runtime's zone database), never from the schedule package's zone or calendar code, and the
 * sets are plain arrays of booleans with no bit tricks. Slow on purpose; only `seededRandom` and types are shared.
 */
import { Temporal } from "@js-temporal/polyfill";
import type { DatedInterval, DatedSuggestion, DaySlot, Interval, Suggestion, Week } from "@w2meet/contracts";
import { DAYS, type Day, type MeetingOptions, type PersonInput, type Preference, seededRandom } from "@w2meet/schedule";

const MINUTE_MS = 60_000;
const QUARTER_MS = 15 * MINUTE_MS;
const DAY_MS = 86_400_000;
const QUARTERS = 96;

// ------------------------------------------------------------------------------------------- wall clocks

/** The offset (ms east of UTC) of a zone at any instant of a span, from Temporal's list of the zone's transitions. */
function offsetClock(zone: string, from: number, to: number): (ms: number) => number {
  let at = Temporal.Instant.fromEpochMilliseconds(from - 2 * DAY_MS).toZonedDateTimeISO(zone);
  const changes = [{ at: Number.NEGATIVE_INFINITY, offset: at.offsetNanoseconds / 1e6 }];
  for (;;) {
    const next = at.getTimeZoneTransition("next");
    if (!next || next.epochMilliseconds > to + 2 * DAY_MS) break;
    changes.push({ at: next.epochMilliseconds, offset: next.offsetNanoseconds / 1e6 });
    at = next;
  }
  return (ms) => {
    let offset = changes[0]!.offset;
    for (const change of changes) if (change.at <= ms) offset = change.offset;
    return offset;
  };
}

/** A wall-clock reading: the local date as days since 1970-01-01, and minutes after its midnight. */
type Wall = { day: number; minute: number };

function wallOf(offset: (ms: number) => number, ms: number): Wall {
  const local = ms + offset(ms);
  const day = Math.floor(local / DAY_MS);
  return { day, minute: (local - day * DAY_MS) / MINUTE_MS };
}

const EPOCH = Temporal.PlainDate.from("1970-01-01");
const dates = new Map<number, Temporal.PlainDate>();

/** The calendar date of a day count, by Temporal's calendar arithmetic. */
function plainDate(day: number): Temporal.PlainDate {
  let date = dates.get(day);
  if (!date) {
    date = EPOCH.add({ days: day });
    dates.set(day, date);
  }
  return date;
}

const weekdayOf = (date: Temporal.PlainDate): Day => DAYS[date.dayOfWeek - 1]!;

/** ISO 8601 of an instant with the zone's offset at it, `Z` for a zero offset. */
function isoOf(zone: string, ms: number): string {
  const text = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toString({ timeZoneName: "never" });
  return text.endsWith("+00:00") ? `${text.slice(0, -6)}Z` : text;
}

/** The first instant of a date in a zone (its midnight, or when clocks skip it, the first time that occurs). */
const firstInstant = (zone: string, date: Temporal.PlainDate): number => date.toZonedDateTime(zone).epochMilliseconds;

// ------------------------------------------------------------------------------------------------ people

/** The quarters of a day's input, as 96 booleans. */
function quartersOf(slots: readonly DaySlot[] | undefined): boolean[] {
  const day = new Array<boolean>(QUARTERS).fill(false);
  for (const slot of slots ?? []) {
    let start: number;
    let end: number;
    if (typeof slot === "number") [start, end] = [slot * 4, slot * 4 + 4];
    else {
      const [from, to] = slot.split("-").map((time) => {
        const [hours, minutes] = time.split(":").map(Number);
        return hours! * 4 + minutes! / 15;
      });
      [start, end] = [from!, to!];
    }
    for (let q = start; q < end; q++) day[q] = true;
  }
  return day;
}

const or = (a: boolean[], b: boolean[]): boolean[] => a.map((bit, q) => bit || b[q]!);

/** Whether a person is free (and can make it at all) at any instant, read off their own wall clock. */
type Clock = { free: (ms: number) => boolean; reach: (ms: number) => boolean };

function clockOf(person: PersonInput, from: number, to: number): Clock {
  const offset = offsetClock(person.time_zone ?? "UTC", from, to);
  const days = new Map<number, { free: boolean[]; reach: boolean[] }>();
  const tiersOn = (day: number) => {
    let tiers = days.get(day);
    if (!tiers) {
      const date = plainDate(day);
      const exception = person.dates?.find((d) => d.date === date.toString());
      if (exception) {
        const free = quartersOf(exception.available);
        tiers = { free, reach: or(free, quartersOf(exception.if_needed)) };
      } else {
        const weekday = weekdayOf(date);
        const free = quartersOf(person.availabilities[weekday]);
        tiers = { free, reach: or(free, quartersOf(person.if_needed?.[weekday])) };
      }
      days.set(day, tiers);
    }
    return tiers;
  };
  const at = (tier: "free" | "reach") => (ms: number) => {
    const wall = wallOf(offset, ms);
    return tiersOn(wall.day)[tier][Math.floor(wall.minute / 15)]!;
  };
  return { free: at("free"), reach: at("reach") };
}

/** Free for a whole board quarter: at every one of its 15 minutes. */
function wholeQuarter(test: (ms: number) => boolean, start: number): boolean {
  for (let m = 0; m < 15; m++) if (!test(start + m * MINUTE_MS)) return false;
  return true;
}

// --------------------------------------------------------------------------------------------- calendars

/** One date of a reference calendar: its board quarters [start, end) and where that segment starts. */
type ReferenceDay = { date: string; day: Day; start: number; end: number; startMs: number };

/** A window of real time: quarter i is [origin + 15 min × i, + 15 min), cut into dates of the display zone. */
export type ReferenceCalendar = { zone: string; origin: number; length: number; days: ReferenceDay[] };

/** The calendar of `days` dates from `first` in `zone`, from the date's first instant or from `notBefore` rounded up. */
function calendarFrom(zone: string, first: Temporal.PlainDate, days: number, notBefore?: number): ReferenceCalendar {
  let origin = firstInstant(zone, first);
  if (notBefore !== undefined) origin = Math.max(origin, Math.ceil(notBefore / QUARTER_MS) * QUARTER_MS);
  const end = firstInstant(zone, first.add({ days }));
  const length = Math.max(0, Math.ceil((end - origin) / QUARTER_MS));
  const starts = Array.from({ length: days + 1 }, (_, k) => firstInstant(zone, first.add({ days: k })));
  const indexAt = (ms: number) => Math.min(length, Math.max(0, Math.ceil((ms - origin) / QUARTER_MS)));
  return {
    zone,
    origin,
    length,
    days: Array.from({ length: days }, (_, k) => {
      const date = first.add({ days: k });
      return {
        date: date.toString(),
        day: weekdayOf(date),
        start: indexAt(starts[k]!),
        end: indexAt(starts[k + 1]!),
        startMs: Math.max(origin, starts[k]!),
      };
    }),
  };
}

/**
 * The calendar of a dated query: `from` is a date (from its first instant in `tz`), an instant with `Z` or an
 * offset, or a wall-clock date-time in `tz` (a time clocks skip moves forward by the gap). Valid input only.
 */
export function referenceCalendar(query: { from: string; days?: number; tz?: string }): ReferenceCalendar {
  const zone = query.tz ?? "UTC";
  const days = query.days ?? 7;
  if (/^\d{4}-\d{2}-\d{2}$/.test(query.from)) return calendarFrom(zone, Temporal.PlainDate.from(query.from), days);
  const instant = /(Z|[+-]\d{2}:\d{2})$/i.test(query.from)
    ? Temporal.Instant.from(query.from).toZonedDateTimeISO(zone)
    : Temporal.PlainDateTime.from(query.from).toZonedDateTime(zone, { disambiguation: "compatible" });
  return calendarFrom(zone, instant.toPlainDate(), days, instant.epochMilliseconds);
}

/** The calendar of the coming week in `zone`: the 7 dates from today's, from its first instant. */
export function referenceComingWeek(zone: string, now: number): ReferenceCalendar {
  return calendarFrom(zone, Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(zone).toPlainDate(), 7);
}

/**
 * The most real minutes a wall-clock block [start, end) of a date in `zone` can cover, whichever occurrence
 * of a time clocks repeat each end names: on a day clocks go back, 15 minutes of clock can be 45 of time.
 */
export function referenceLongestBlock(zone: string, date: string, start: number, end: number): number {
  const midnight = Temporal.PlainDate.from(date).toPlainDateTime();
  const at = (minutes: number, disambiguation: "earlier" | "later") =>
    midnight.add({ minutes }).toZonedDateTime(zone, { disambiguation }).epochMilliseconds;
  return (at(end, "later") - at(start, "earlier")) / MINUTE_MS;
}

/** An instant read in a zone: the offset in minutes east of UTC, the local date, and ISO 8601 as answered. */
export function referenceReading(zone: string, ms: number): { offset: number; date: string; iso: string } {
  const offset = offsetClock(zone, ms, ms)(ms);
  return { offset: offset / MINUTE_MS, date: plainDate(wallOf(() => offset, ms).day).toString(), iso: isoOf(zone, ms) };
}

/** Wall-clock minutes in the calendar's zone at the start of each quarter, and at the window's end. */
function wallMinutes(calendar: ReferenceCalendar): number[] {
  const end = calendar.origin + calendar.length * QUARTER_MS;
  const offset = offsetClock(calendar.zone, calendar.origin, end);
  return Array.from({ length: calendar.length + 1 }, (_, i) => wallOf(offset, calendar.origin + i * QUARTER_MS).minute);
}

/** A member's tiers on some board, one boolean per quarter. */
type Tiers = { email: string; preference: Preference; free: boolean[]; reach: boolean[] };

/** The group on a calendar: each member free in a quarter iff free at every minute of it. */
export type ReferenceBoard = { calendar: ReferenceCalendar; members: Tiers[]; wall: number[] };

/** Places every person on the calendar, minute by minute. */
export function referenceBoard(people: readonly PersonInput[], calendar: ReferenceCalendar): ReferenceBoard {
  const end = calendar.origin + calendar.length * QUARTER_MS;
  const members = people.map((person) => {
    const clock = clockOf(person, calendar.origin, end);
    const free: boolean[] = [];
    const reach: boolean[] = [];
    for (let i = 0; i < calendar.length; i++) {
      const start = calendar.origin + i * QUARTER_MS;
      free.push(wholeQuarter(clock.free, start));
      reach.push(wholeQuarter(clock.reach, start));
    }
    return { email: person.email, preference: person.preference, free, reach };
  });
  return { calendar, members, wall: wallMinutes(calendar) };
}

/**
 * Board quarters folded onto the wall clock, per date: wall quarter q is set iff some quarter of the date's
 * segment shows q when it starts and every such quarter is set.
 */
function fold(board: ReferenceBoard, bits: readonly boolean[]): boolean[][] {
  return board.calendar.days.map((day) => {
    const seen = new Array<boolean>(QUARTERS).fill(false);
    const missed = new Array<boolean>(QUARTERS).fill(false);
    for (let i = day.start; i < day.end; i++) {
      const q = Math.floor(board.wall[i]! / 15);
      seen[q] = true;
      if (!bits[i]) missed[q] = true;
    }
    return seen.map((s, q) => s && !missed[q]);
  });
}

// ---------------------------------------------------------------------------------------- the weekday form

/** The group on the weekday board: 7 × 96 wall-clock quarters, Monday first. */
export type ReferenceWeek = Tiers[];

/** The weekday board of the coming week in `zone`: the 7 dates from today's, each member's tiers folded onto them. */
export function referenceWeek(people: readonly PersonInput[], zone: string, now: number): ReferenceWeek {
  const board = referenceBoard(people, referenceComingWeek(zone, now));
  const days = board.calendar.days.map((day) => DAYS.indexOf(day.day));
  const arrange = (folded: boolean[][]) => {
    const week = new Array<boolean>(7 * QUARTERS).fill(false);
    folded.forEach((quarters, k) => {
      quarters.forEach((bit, q) => {
        week[days[k]! * QUARTERS + q] = bit;
      });
    });
    return week;
  };
  return board.members.map((m) => ({ ...m, free: arrange(fold(board, m.free)), reach: arrange(fold(board, m.reach)) }));
}

/** The weekday board straight from the weekly patterns: no zones, no dates (what a group all in UTC must get). */
export function patternWeek(people: readonly PersonInput[]): ReferenceWeek {
  return people.map((person) => {
    const free = DAYS.flatMap((day) => quartersOf(person.availabilities[day]));
    const reach = DAYS.flatMap((day, d) => quartersOf(person.if_needed?.[day]).map((bit, q) => bit || free[d * QUARTERS + q]!));
    return { email: person.email, preference: person.preference, free, reach };
  });
}

const WEEK_DAYS = DAYS.map((day, d) => ({ day, start: d * QUARTERS, end: (d + 1) * QUARTERS }));

// ------------------------------------------------------------------------------------------------ answers

const everyone = (sets: readonly boolean[][], length: number): boolean[] =>
  Array.from({ length }, (_, i) => sets.length > 0 && sets.every((set) => set[i]));

/** Runs [start, end) of set entries of `bits` within [from, to). */
function runs(bits: readonly boolean[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = from; i < to; i++) {
    if (!bits[i]) continue;
    if (out.length && out[out.length - 1]![1] === i) out[out.length - 1]![1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

const hhmm = (q: number) => `${String(Math.floor(q / 4)).padStart(2, "0")}:${String((q % 4) * 15).padStart(2, "0")}`;

/** A wall-clock day as answered: start hours when every run is whole hours, else merged ranges. */
function daySlots(quarters: readonly boolean[]): DaySlot[] {
  const dayRuns = runs(quarters, 0, QUARTERS);
  if (dayRuns.every(([s, e]) => s % 4 === 0 && e % 4 === 0)) {
    return dayRuns.flatMap(([s, e]) => Array.from({ length: (e - s) / 4 }, (_, h) => s / 4 + h));
  }
  return dayRuns.map(([s, e]) => `${hhmm(s)}-${hhmm(e)}`);
}

/** A day's input in its answered form: its quarters, then {@link daySlots}. */
export const referenceNormalizeDay = (slots: readonly DaySlot[]): DaySlot[] => daySlots(quartersOf(slots));

/** Common free time in the weekday form. */
export function referenceCommonWeekly(week: ReferenceWeek): { week: Week; intervals: Interval[] } {
  const common = everyone(
    week.map((m) => m.free),
    7 * QUARTERS,
  );
  return {
    week: Object.fromEntries(WEEK_DAYS.map(({ day, start, end }) => [day, daySlots(common.slice(start, end))])) as Week,
    intervals: WEEK_DAYS.flatMap(({ day, start, end }) =>
      runs(common, start, end).map(([s, e]) => ({ day, start: (s - start) / 4, end: (e - start) / 4 })),
    ),
  };
}

/** Where quarters [start, end) of a calendar date lie, as answered. */
function placeOf(board: ReferenceBoard, day: ReferenceDay, start: number, end: number): DatedInterval {
  const { zone, origin } = board.calendar;
  return {
    date: day.date,
    day: day.day,
    start: isoOf(zone, origin + start * QUARTER_MS),
    end: isoOf(zone, origin + end * QUARTER_MS),
    slot: [board.wall[start]! / 60, end === day.end ? 24 : board.wall[end]! / 60],
  };
}

/** Common free time on each date of a calendar, and its runs within each date. */
export function referenceCommonDated(board: ReferenceBoard): {
  dates: { date: string; day: Day; available: DaySlot[] }[];
  intervals: DatedInterval[];
} {
  const common = everyone(
    board.members.map((m) => m.free),
    board.calendar.length,
  );
  const folded = fold(board, common);
  return {
    dates: board.calendar.days.map((day, k) => ({ date: day.date, day: day.day, available: daySlots(folded[k]!) })),
    intervals: board.calendar.days.flatMap((day) => runs(common, day.start, day.end).map(([s, e]) => placeOf(board, day, s, e))),
  };
}

/** One wall-clock day of a heatmap; the if-needed lists only when someone has if-needed time on the heatmap's days. */
export type ReferenceHeatmapDay = { slots: number[]; free: string[][]; if_needed_slots?: number[]; if_needed?: string[][] };

/** Whether anyone can make some quarter only with if-needed time. */
const tiered = (members: readonly { free: boolean[]; reach: boolean[] }[]): boolean =>
  members.some((m) => m.reach.some((bit, q) => bit && !m.free[q]));

/** Cells of `step` minutes over one wall-clock day: who is free for all of each, and who only with if-needed time. */
function heatmapDay(
  members: readonly { email: string; free: boolean[]; reach: boolean[] }[],
  step: number,
  withIfNeeded: boolean,
): ReferenceHeatmapDay {
  const width = step / 15;
  const day = { slots: [] as number[], free: [] as string[][], if_needed_slots: [] as number[], if_needed: [] as string[][] };
  for (let c = 0; c < QUARTERS / width; c++) {
    const cell = Array.from({ length: width }, (_, w) => c * width + w);
    const free = members.filter((m) => cell.every((q) => m.free[q])).map((m) => m.email);
    const ifNeeded = members.filter((m) => !free.includes(m.email) && cell.every((q) => m.reach[q])).map((m) => m.email);
    day.slots.push(free.length);
    day.free.push(free);
    day.if_needed_slots.push(ifNeeded.length);
    day.if_needed.push(ifNeeded);
  }
  return withIfNeeded ? day : { slots: day.slots, free: day.free };
}

/** Weekday-form heatmap. */
export function referenceHeatmapWeekly(week: ReferenceWeek, step: number): Record<Day, ReferenceHeatmapDay> {
  const withIfNeeded = tiered(week);
  return Object.fromEntries(
    WEEK_DAYS.map(({ day, start, end }) => [
      day,
      heatmapDay(
        week.map((m) => ({ email: m.email, free: m.free.slice(start, end), reach: m.reach.slice(start, end) })),
        step,
        withIfNeeded,
      ),
    ]),
  ) as Record<Day, ReferenceHeatmapDay>;
}

/** Dated heatmap: per date, the members' tiers folded onto the wall clock. */
export function referenceHeatmapDated(
  board: ReferenceBoard,
  step: number,
): (ReferenceHeatmapDay & { date: string; day: Day; start: string })[] {
  const folded = board.members.map((m) => ({ email: m.email, free: fold(board, m.free), reach: fold(board, m.reach) }));
  const withIfNeeded = tiered(folded.map((m) => ({ free: m.free.flat(), reach: m.reach.flat() })));
  return board.calendar.days.map((day, k) => ({
    date: day.date,
    day: day.day,
    start: isoOf(board.calendar.zone, day.startMs),
    ...heatmapDay(
      folded.map((m) => ({ email: m.email, free: m.free[k]!, reach: m.reach[k]! })),
      step,
      withIfNeeded,
    ),
  }));
}

// ------------------------------------------------------------------------------------------- suggestions

/** Options of the reference: a seed is required, so `random` is reproducible. */
export type ReferenceMeetingOptions = MeetingOptions & { seed: string };

type Candidate = {
  start: number;
  attendees: string[];
  missing: string[];
  if_needed: string[];
  /** Quarters of if-needed time the attendees would use. */
  cost: number;
  /** Whether a required member would be on if-needed time. */
  requiredOnIfNeeded: boolean;
};
type Pick = Candidate & { preference: Preference };

/** Whether every edge of a set (an index where it differs from the one before, the board's ends aside) is an hour mark. */
const edgesOnHours = (bits: readonly boolean[], hour: (i: number) => boolean): boolean =>
  bits.every((bit, i) => i === 0 || bit === bits[i - 1] || hour(i));

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = 0; i < out.length - 1; i++) {
    const j = i + Math.floor(random() * (out.length - i));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Every window of the meeting's length within one day, its attendees, the qualifying ones grouped best first,
 * each preference's full ranking, then the first `limit` windows not taken by an earlier preference.
 */
function suggest(
  members: readonly Tiers[],
  days: readonly { start: number; end: number }[],
  hour: (i: number) => boolean,
  options: ReferenceMeetingOptions,
): Pick[] {
  const n = members.length;
  if (n === 0) return [];
  const k = options.minutes / 15;
  const limit = Math.floor(options.limit ?? 1);
  const min = Math.min(n, Math.max(1, Math.ceil(options.minAttendees ?? n)));
  const hourly = k % 4 === 0 && members.every((m) => edgesOnHours(m.free, hour) && edgesOnHours(m.reach, hour));
  const all = (bits: readonly boolean[], s: number) => bits.slice(s, s + k).every(Boolean);
  const required = new Set(options.required ?? []);

  const candidates: Candidate[] = [];
  for (const day of days) {
    for (let s = day.start; s + k <= day.end; s++) {
      if (hourly && !hour(s)) continue;
      const candidate: Candidate = { start: s, attendees: [], missing: [], if_needed: [], cost: 0, requiredOnIfNeeded: false };
      for (const m of members) {
        if (!all(m.reach, s)) candidate.missing.push(m.email);
        else {
          candidate.attendees.push(m.email);
          const used = m.free.slice(s, s + k).filter((free) => !free).length;
          candidate.cost += used;
          if (used > 0) {
            candidate.if_needed.push(m.email);
            if (required.has(m.email)) candidate.requiredOnIfNeeded = true;
          }
        }
      }
      const requiredMissing = candidate.missing.some((email) => required.has(email));
      if (candidate.attendees.length >= min && !requiredMissing) candidates.push(candidate);
    }
  }
  // Best first: required members on their free time, most attendees, fewest if-needed quarters used.
  const rank = (c: Candidate) => ((c.requiredOnIfNeeded ? 1 : 0) * (n + 1) + (n - c.attendees.length)) * (n * k + 1) + c.cost;
  const groups = [...new Set(candidates.map(rank))].sort((a, b) => a - b).map((r) => candidates.filter((c) => rank(c) === r));

  const preferences: Preference[] = options.preference
    ? [options.preference]
    : members.map((m) => m.preference).filter((p, i, ps) => ps.indexOf(p) === i);
  const random = seededRandom(options.seed);
  const taken = new Set<Candidate>();
  const picks: Pick[] = [];
  for (const preference of preferences) {
    const ranking = groups.flatMap((group) =>
      preference === "first" ? group : preference === "last" ? [...group].reverse() : shuffle(group, random),
    );
    for (const c of ranking.filter((c) => !taken.has(c)).slice(0, limit)) {
      taken.add(c);
      picks.push({ ...c, preference });
    }
  }
  return picks;
}

/** Who can come; `if_needed` only when someone would use if-needed time. */
const who = (pick: Pick) => ({
  preference: pick.preference,
  attendees: pick.attendees,
  missing: pick.missing,
  ...(pick.if_needed.length > 0 && { if_needed: pick.if_needed }),
});

/** Suggestions in the weekday form: hour marks every fourth quarter. */
export function referenceSuggestWeekly(week: ReferenceWeek, options: ReferenceMeetingOptions): Suggestion[] {
  const k = options.minutes / 15;
  return suggest(week, WEEK_DAYS, (i) => i % 4 === 0, options).map((pick) => {
    const d = Math.floor(pick.start / QUARTERS);
    const s = pick.start - d * QUARTERS;
    return { day: DAYS[d]!, slot: [s / 4, (s + k) / 4], ...who(pick) };
  });
}

/** Suggestions on a calendar: hour marks where the zone's wall clock shows minute 0. */
export function referenceSuggestDated(board: ReferenceBoard, options: ReferenceMeetingOptions): DatedSuggestion[] {
  const k = options.minutes / 15;
  const { days } = board.calendar;
  return suggest(board.members, days, (i) => board.wall[i]! % 60 === 0, options).map((pick) => {
    const day = days.find((d) => d.start <= pick.start && pick.start < d.end)!;
    return { ...placeOf(board, day, pick.start, pick.start + k), ...who(pick) };
  });
}

// -------------------------------------------------------------------------------------------- blockers

/**
 * Per member, the windows on the meeting's grid that do not fit but would if that member alone could come:
 * most first, none with zero. The grid (on the hour or any quarter) is the group's as it is.
 */
function blockers(
  members: readonly Tiers[],
  days: readonly { start: number; end: number }[],
  hour: (i: number) => boolean,
  options: MeetingOptions,
): { email: string; slots: number }[] {
  const n = members.length;
  const k = options.minutes / 15;
  const min = Math.min(n, Math.max(1, Math.ceil(options.minAttendees ?? n)));
  const required = new Set(options.required ?? []);
  const hourly = k % 4 === 0 && members.every((m) => edgesOnHours(m.free, hour) && edgesOnHours(m.reach, hour));
  const fits = (comes: readonly boolean[]) =>
    comes.filter(Boolean).length >= min && members.every((m, i) => comes[i] || !required.has(m.email));
  const counts = new Array<number>(n).fill(0);
  for (const day of days) {
    for (let s = day.start; s + k <= day.end; s++) {
      if (hourly && !hour(s)) continue;
      const comes = members.map((m) => m.reach.slice(s, s + k).every(Boolean));
      if (fits(comes)) continue;
      comes.forEach((came, p) => {
        if (!came && fits(comes.map((c, i) => c || i === p))) counts[p]!++;
      });
    }
  }
  return counts
    .map((slots, p) => ({ email: members[p]!.email, slots }))
    .filter((b) => b.slots > 0)
    .sort((a, b) => b.slots - a.slots);
}

/** Blockers in the weekday form. */
export const referenceBlockersWeekly = (week: ReferenceWeek, options: MeetingOptions) =>
  blockers(week, WEEK_DAYS, (i) => i % 4 === 0, options);

/** Blockers on a calendar. */
export const referenceBlockersDated = (board: ReferenceBoard, options: MeetingOptions) =>
  blockers(board.members, board.calendar.days, (i) => board.wall[i]! % 60 === 0, options);
