/**
 * A person on a board: their weekly pattern, in their own zone, with their dated exceptions, placed on
 * real time. Quarter q of the board is free when the person is free at every minute of it in their own
 * wall-clock time.
 */
import { type Bits, bitsOf, copyBits, hasBit, setBit } from "./bits.ts";
import type { Calendar } from "./calendar.ts";
import { DAY_MS, QUARTER_MS, QUARTERS_PER_DAY, type WeekMask, weekToMask } from "./pattern.ts";
import { offsetSegments, weekdayOf } from "./zone.ts";

/** A date's own free time, replacing the weekly pattern on it: 96-bit day masks. */
type DayException = { available: Bits; reach: Bits };

/** A person as the scheduling functions see them. */
export type Person = {
  email: string;
  /** Canonical IANA name. */
  zone: string;
  /** Weekly free time in their zone. */
  free: WeekMask;
  /** Weekly free time and if-needed time together: the hours they can make at all. */
  reach: WeekMask;
  /** Exceptions by local date, as day numbers. */
  dates: ReadonlyMap<number, DayException>;
};

/** The two tiers of a person on a board: free, and free or if-needed. */
export type Placed = { free: Bits; reach: Bits };

const QUARTER_MINUTES = 15;

/** Whether the person has if-needed time anywhere: in their week or in an exception. */
const tiered = (person: Person): boolean =>
  person.reach !== person.free || [...person.dates.values()].some((exception) => exception.reach !== exception.available);

/**
 * Local quarter-hour timeline of one tier of a person for day numbers [firstDay, lastDay]: the pattern or the
 * exception of each date.
 */
function localTimeline(person: Person, tier: "free" | "reach", firstDay: number, lastDay: number): Bits {
  const bits = bitsOf((lastDay - firstDay + 1) * QUARTERS_PER_DAY);
  for (let day = firstDay; day <= lastDay; day++) {
    const at = (day - firstDay) * QUARTERS_PER_DAY;
    const exception = person.dates.get(day);
    if (exception) copyBits(tier === "free" ? exception.available : exception.reach, 0, bits, at, QUARTERS_PER_DAY);
    else copyBits(person[tier], weekdayOf(day) * QUARTERS_PER_DAY, bits, at, QUARTERS_PER_DAY);
  }
  return bits;
}

/**
 * The person on a calendar. Over each span of constant offset, their local timeline maps onto the board by
 * one shift; an offset that is not a whole number of quarters straddles two local quarters, and both must be free.
 * Without if-needed time, both tiers are the one set.
 */
export function place(person: Person, calendar: Calendar): Placed {
  const { origin, length } = calendar;
  const end = origin + length * QUARTER_MS;
  const segments = offsetSegments(person.zone, origin, end);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const segment of segments) {
    low = Math.min(low, segment.offset);
    high = Math.max(high, segment.offset);
  }
  const firstDay = Math.floor((origin + low * 60_000) / DAY_MS);
  const lastDay = Math.floor((end + high * 60_000) / DAY_MS);
  const originQuarter = origin / QUARTER_MS - firstDay * QUARTERS_PER_DAY;
  const onBoard = (tier: "free" | "reach"): Bits => {
    const local = localTimeline(person, tier, firstDay, lastDay);
    const bits = bitsOf(length);
    for (const segment of segments) {
      const from = Math.ceil((segment.from - origin) / QUARTER_MS);
      const to = Math.min(length, Math.ceil((segment.to - origin) / QUARTER_MS));
      if (to <= from) continue;
      const source = originQuarter + from + Math.floor(segment.offset / QUARTER_MINUTES);
      copyBits(local, source, bits, from, to - from);
      if (segment.offset % QUARTER_MINUTES !== 0) copyBits(local, source + 1, bits, from, to - from, true);
    }
    return bits;
  };
  const free = onBoard("free");
  return { free, reach: tiered(person) ? onBoard("reach") : free };
}

/**
 * Board bits folded onto the wall clock of the calendar's zone: per date, 96 quarters, set when the bits are
 * set at every instant showing that time on that date. A time that does not occur that date (a DST gap, or
 * before the window starts) is not set; one that occurs twice needs both.
 */
export function fold(calendar: Calendar, bits: Bits): Bits {
  const out = bitsOf(calendar.days.length * QUARTERS_PER_DAY);
  calendar.days.forEach((day, k) => {
    const at = k * QUARTERS_PER_DAY;
    const midnight = day.dayNumber * DAY_MS;
    const segments = offsetSegments(calendar.zone, calendar.origin + day.start * QUARTER_MS, calendar.origin + day.end * QUARTER_MS);
    const plain =
      segments.length === 1 &&
      day.end - day.start === QUARTERS_PER_DAY &&
      calendar.origin + day.start * QUARTER_MS + segments[0]!.offset * 60_000 === midnight;
    if (plain) {
      copyBits(bits, day.start, out, at, QUARTERS_PER_DAY);
      return;
    }
    const seen = new Uint8Array(QUARTERS_PER_DAY);
    const missed = new Uint8Array(QUARTERS_PER_DAY);
    for (const segment of segments) {
      const from = Math.max(day.start, Math.ceil((segment.from - calendar.origin) / QUARTER_MS));
      const to = Math.min(day.end, Math.ceil((segment.to - calendar.origin) / QUARTER_MS));
      for (let i = from; i < to; i++) {
        const wall = Math.floor((calendar.origin + i * QUARTER_MS + segment.offset * 60_000 - midnight) / QUARTER_MS);
        if (wall < 0 || wall >= QUARTERS_PER_DAY) continue;
        seen[wall] = 1;
        if (!hasBit(bits, i)) missed[wall] = 1;
      }
    }
    for (let q = 0; q < QUARTERS_PER_DAY; q++) if (seen[q] && !missed[q]) setBit(out, at + q);
  });
  return out;
}

/** Folded dates arranged as a week, Monday first (the dates must be seven distinct weekdays). */
export function asWeek(calendar: Calendar, folded: Bits): WeekMask {
  const week = weekToMask({});
  calendar.days.forEach((day, k) => {
    copyBits(folded, k * QUARTERS_PER_DAY, week, weekdayOf(day.dayNumber) * QUARTERS_PER_DAY, QUARTERS_PER_DAY);
  });
  return week;
}

/**
 * How many quarters the person's clock runs ahead of the calendar zone's, when that is the same all through
 * the calendar and a day either side (no clock change in either zone, a whole number of quarters); else null.
 */
export function clockShift(person: Person, calendar: Calendar): number | null {
  const known = calendar.clockShifts.get(person.zone);
  if (known !== undefined) return known;
  const from = calendar.origin - DAY_MS;
  const to = calendar.origin + calendar.length * QUARTER_MS + DAY_MS;
  const mine = offsetSegments(person.zone, from, to);
  const theirs = person.zone === calendar.zone ? mine : offsetSegments(calendar.zone, from, to);
  const difference = mine.length === 1 && theirs.length === 1 ? mine[0]!.offset - theirs[0]!.offset : Number.NaN;
  const shift = difference % QUARTER_MINUTES === 0 ? difference / QUARTER_MINUTES : null;
  if (calendar.clockShifts.size < 1000) calendar.clockShifts.set(person.zone, shift);
  return shift;
}

const WEEK_QUARTERS = 7 * QUARTERS_PER_DAY;

/** The week seen `shift` quarters later: bit i of the answer is bit (i + shift) mod 672 of `week`. */
export function rotateWeek(week: WeekMask, shift: number): WeekMask {
  const by = ((shift % WEEK_QUARTERS) + WEEK_QUARTERS) % WEEK_QUARTERS;
  if (by === 0) return week;
  const out = bitsOf(WEEK_QUARTERS);
  copyBits(week, by, out, 0, WEEK_QUARTERS - by);
  copyBits(week, 0, out, WEEK_QUARTERS - by, by);
  return out;
}

/** Whether the person has an exception on any date the calendar could touch in their zone (a day either side). */
export function hasExceptionsNear(person: Person, calendar: Calendar): boolean {
  if (person.dates.size === 0) return false;
  const first = calendar.days[0]!.dayNumber - 1;
  const last = calendar.days[calendar.days.length - 1]!.dayNumber + 1;
  for (const day of person.dates.keys()) if (day >= first && day <= last) return true;
  return false;
}
