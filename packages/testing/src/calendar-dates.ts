/**
 * Dates for tests of dated queries that stay valid whenever the suite runs: always in the coming year, so
 * inside the window a query may ask about, and on a known weekday.
 */
const DAY_MS = 86_400_000;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

/** `YYYY-MM-DD` of the first `weekday` on or after `month`/`day` (1-based) of next year. */
export function nextYearsDate(month: number, day: number, weekday: (typeof WEEKDAYS)[number]): string {
  const year = new Date().getUTCFullYear() + 1;
  let at = Date.UTC(year, month - 1, day);
  while (WEEKDAYS[new Date(at).getUTCDay()] !== weekday) at += DAY_MS;
  return new Date(at).toISOString().slice(0, 10);
}

/** The date `days` after a `YYYY-MM-DD` date. */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
