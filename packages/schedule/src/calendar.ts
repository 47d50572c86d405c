/**
 * Boards: the quarter-hour timelines the scheduling functions work on, cut into days.
 * - The weekday board is a week of wall-clock days, Monday first, 96 quarters each (the weekday form).
 * - A calendar is a window of real time, one quarter per 15 minutes from its origin, cut at each midnight
 *   of the display zone: a day clocks go forward on has 92 quarters (Lord Howe's 30-minute change: 94),
 *   one they go back on 100.
 */
import { type Bits, bitsOf, setBit } from "./bits.ts";
import { type Day, DAYS, DAY_MS, QUARTER_MS, QUARTERS_PER_DAY } from "./pattern.ts";
import { dateOf, instantOf, localDay, offsetSegments, weekdayOf } from "./zone.ts";

const QUARTERS_PER_HOUR = 4;

/** Marks every `QUARTERS_PER_HOUR`th quarter of `length` from `phase` on. */
function everyHour(length: number, from: number, to: number, phase: number, marks: Bits = bitsOf(length)): Bits {
  const first = from + ((((phase - from) % QUARTERS_PER_HOUR) + QUARTERS_PER_HOUR) % QUARTERS_PER_HOUR);
  for (let i = first; i < to; i += QUARTERS_PER_HOUR) setBit(marks, i);
  return marks;
}

/** One day of a board: quarters [start, end), and for a calendar its date. */
type BoardDay = { start: number; end: number; day: Day; date?: string };

/** A timeline of `length` quarters cut into days, earliest first; `hours` marks the quarters that begin an hour. */
export type Board = { length: number; days: readonly BoardDay[]; hours: Bits };

/** A board of real time in the display zone `zone`: quarter i is [origin + i × 15 min, + 15 min). */
type CalendarDay = BoardDay & { date: string; dayNumber: number };
export type Calendar = {
  zone: string;
  origin: number;
  length: number;
  days: readonly CalendarDay[];
  hours: Bits;
  /**
   * For zones whose clock runs a constant whole number of quarters ahead of `zone`'s all through the calendar
   * (a day either side included), that number; null for the others. Filled in as zones are met.
   */
  clockShifts: Map<string, number | null>;
};

/** The weekday board: seven wall-clock days, Monday first. */
export const WEEK_BOARD: Board = {
  length: DAYS.length * QUARTERS_PER_DAY,
  days: DAYS.map((day, d) => ({ start: d * QUARTERS_PER_DAY, end: (d + 1) * QUARTERS_PER_DAY, day })),
  hours: everyHour(DAYS.length * QUARTERS_PER_DAY, 0, DAYS.length * QUARTERS_PER_DAY, 0),
};

/** The quarters of a calendar that begin an hour of its zone's wall clock. */
function hourMarks(zone: string, origin: number, length: number): Bits {
  const marks = bitsOf(length);
  for (const segment of offsetSegments(zone, origin, origin + length * QUARTER_MS)) {
    const from = Math.ceil((segment.from - origin) / QUARTER_MS);
    const to = Math.min(length, Math.ceil((segment.to - origin) / QUARTER_MS));
    const wall = (origin + from * QUARTER_MS) / QUARTER_MS + segment.offset / 15;
    everyHour(length, from, to, from - wall, marks);
  }
  return marks;
}

const ceilQuarter = (ms: number): number => Math.ceil(ms / QUARTER_MS) * QUARTER_MS;

/** The first instant of a date (day number) in `zone`: its midnight, or the change if clocks skip midnight. */
const startOfDay = (zone: string, day: number): number => instantOf(zone, day * DAY_MS);

/**
 * The calendar of `days` dates in `zone` from `firstDay` (a day number), starting at that date's midnight or
 * at `notBefore` when that is later (rounded up to the quarter hour).
 */
export function calendarOf(zone: string, firstDay: number, days: number, notBefore?: number): Calendar {
  let origin = ceilQuarter(startOfDay(zone, firstDay));
  if (notBefore !== undefined && notBefore > origin) origin = ceilQuarter(notBefore);
  const out: CalendarDay[] = [];
  let start = 0;
  for (let k = 0; k < days; k++) {
    const dayNumber = firstDay + k;
    const end = Math.max(start, (ceilQuarter(startOfDay(zone, dayNumber + 1)) - origin) / QUARTER_MS);
    out.push({ start, end, day: DAYS[weekdayOf(dayNumber)]!, date: dateOf(dayNumber), dayNumber });
    start = end;
  }
  return { zone, origin, length: start, days: out, hours: hourMarks(zone, origin, start), clockShifts: new Map() };
}

/** The calendar of the week starting today in `zone` (from today's midnight): what the weekday form is made of. */
export const comingWeek = (zone: string, now: number): Calendar => calendarOf(zone, localDay(zone, now), DAYS.length);
