/**
 * What-if hours: time assumed free for one person, written in the display zone as
 * `email:day:HH:MM-HH:MM`, where the day is a weekday (every such date of the window) or a date.
 */
import type { Bits } from "./bits.ts";
import { setRange } from "./bits.ts";
import type { Board, Calendar } from "./calendar.ts";
import { DAY_MS, DAYS, type Day, QUARTER_MS } from "./pattern.ts";
import { dayNumber, instantOf } from "./zone.ts";
import { isCalendarDate } from "./window.ts";

/** Hours assumed free: minutes after midnight [start, end) on a weekday or a date, in the display zone. */
export type Assumption = { email: string; day: Day | string; start: number; end: number };

const FORM = /^([^:\s]+@[^:\s]+):([a-z]+|\d{4}-\d{2}-\d{2}):(\d{2}):(\d{2})-(\d{2}):(\d{2})$/i;

/** `email:day:HH:MM-HH:MM` read into an assumption, or what is wrong with it. */
export function readAssumption(text: string): Assumption | string {
  const match = FORM.exec(text.trim());
  if (!match) return "Expected email:day:HH:MM-HH:MM, the day a weekday or a date (YYYY-MM-DD)";
  const day = match[2]!.toLowerCase();
  if (!DAYS.includes(day as Day) && !isCalendarDate(day)) return `Expected a weekday or a date, not ${match[2]}`;
  const start = +match[3]! * 60 + +match[4]!;
  const end = +match[5]! * 60 + +match[6]!;
  if (+match[4]! >= 60 || +match[6]! >= 60 || start % 15 !== 0 || end % 15 !== 0) {
    return "Expected times on the quarter hour (:00, :15, :30, :45)";
  }
  if (end > 24 * 60 || start >= end) return "Expected a range within the day that ends after it starts (24:00 at the latest)";
  return { email: match[1]!.toLowerCase(), day, start, end };
}

/** An assumption written back in its own form. */
export function writeAssumption(a: Assumption): string {
  const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return `${a.email}:${a.day}:${clock(a.start)}-${clock(a.end)}`;
}

const isCalendar = (board: Board | Calendar): board is Calendar => "zone" in board;

/** Sets the quarters of the board the assumption covers. */
export function markAssumed(board: Board | Calendar, a: Assumption, bits: Bits): void {
  for (const day of board.days) {
    if (day.day !== a.day && day.date !== a.day) continue;
    if (!isCalendar(board)) {
      setRange(bits, day.start + a.start / 15, day.start + a.end / 15);
      continue;
    }
    const midnight = dayNumber(day.date!) * DAY_MS;
    const at = (minutes: number) => (instantOf(board.zone, midnight + minutes * 60_000) - board.origin) / QUARTER_MS;
    const from = Math.max(day.start, Math.ceil(at(a.start)));
    const to = a.end === 24 * 60 ? day.end : Math.min(day.end, Math.floor(at(a.end)));
    if (to > from) setRange(bits, from, to);
  }
}

/** The members with each one's assumed hours added to both tiers. */
export function withAssumptions<M extends { email: string; free: Bits; reach: Bits }>(
  board: Board | Calendar,
  members: readonly M[],
  assumptions: readonly Assumption[] | undefined,
): M[] {
  if (!assumptions?.length) return members as M[];
  return members.map((member) => {
    const mine = assumptions.filter((a) => a.email === member.email);
    if (mine.length === 0) return member;
    const added = new Uint32Array(member.free.length);
    for (const a of mine) markAssumed(board, a, added);
    const or = (bits: Bits) => bits.map((word, w) => word | added[w]!);
    const free = or(member.free);
    return { ...member, free, reach: member.reach === member.free ? free : or(member.reach) };
  });
}
