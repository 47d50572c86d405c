/** The window of a dated query: where it starts, how many days, and in which display zone. */
import { DEFAULT_TIME_ZONE, DEFAULT_WINDOW_DAYS, type FieldError } from "@w2meet/contracts";
import { type Calendar, calendarOf } from "./calendar.ts";
import { canonicalZone, dateOf, dayNumber, instantOf, isTimeZone, localDay } from "./zone.ts";

/** What a query asks: the display zone, and with `from` a calendar of real time (and the instant, when it named one). */
export type Window = { zone: string; calendar?: Calendar; instant?: number };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;
/** How far from today a window may start: a year back, two years ahead. */
const BEFORE_DAYS = 366;
const AHEAD_DAYS = 732;

/** A real `YYYY-MM-DD` date (not 2026-02-30). */
export const isCalendarDate = (date: string): boolean => DATE.test(date) && dateOf(dayNumber(date)) === date;

/**
 * Reads `from`, `days` and `tz` (already shaped by the route's schema) into a window, or names the fields
 * that are wrong: an unknown zone, a `from` that is neither a date nor an ISO 8601 instant, or one too far
 * from `now`. A `from` without an offset is a wall-clock time in `tz`.
 */
export function readWindow(query: { from?: string; days?: number; tz?: string }, now: number): Window | FieldError[] {
  const errors: FieldError[] = [];
  const tz = query.tz ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(tz)) errors.push({ path: "tz", message: "Expected an IANA time zone name, e.g. Europe/Berlin" });
  if (errors.length) return errors;
  const zone = canonicalZone(tz);
  if (query.from === undefined) return { zone };

  let firstDay: number | undefined;
  let notBefore: number | undefined;
  const text = query.from.trim();
  const dateTime = DATE_TIME.exec(text);
  if (isCalendarDate(text)) firstDay = dayNumber(text);
  else if (dateTime && isCalendarDate(dateTime[1]!) && +dateTime[2]! < 24 && +dateTime[3]! < 60 && +(dateTime[4] ?? 0) < 60) {
    const local = Date.parse(`${dateTime[1]}T${dateTime[2]}:${dateTime[3]}:${dateTime[4] ?? "00"}Z`);
    const offset = dateTime[5];
    notBefore = offset ? Date.parse(text.toUpperCase()) : instantOf(zone, local);
    if (Number.isFinite(notBefore)) firstDay = localDay(zone, notBefore);
  }
  if (firstDay === undefined) {
    return [{ path: "from", message: "Expected a date (YYYY-MM-DD) or an ISO 8601 date-time, e.g. 2026-11-23T09:00:00Z" }];
  }
  const today = localDay(zone, now);
  if (firstDay < today - BEFORE_DAYS || firstDay > today + AHEAD_DAYS) {
    return [{ path: "from", message: "Expected a date from a year before to two years after today" }];
  }
  const calendar = calendarOf(zone, firstDay, query.days ?? DEFAULT_WINDOW_DAYS, notBefore);
  return notBefore === undefined ? { zone, calendar } : { zone, calendar, instant: notBefore };
}
