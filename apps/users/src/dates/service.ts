import {
  type DateException,
  type DateExceptionInput,
  type DateExceptionList,
  type DateListQuery,
  type FieldError,
  MAX_DATE_EXCEPTIONS,
  MAX_DAYS_AHEAD,
} from "@w2meet/contracts";
import { conflict, invalid } from "@w2meet/kit";
import { dateOf, dayNumber, isCalendarDate, localDay, normalizeDay } from "@w2meet/schedule";
import type postgres from "postgres";
import { availabilityJson } from "../users/cache.ts";
import { type Caller, lockedProfileOf, mayChange, newVersionOf, type UsersDeps, writeThrough } from "../users/service.ts";
import { dayErrors, ifNeededDay } from "../users/weeks.ts";

// The routes' `date` format refuses dates that do not exist, but which check a format name runs is process-wide
// (Elysia registers a lenient one of its own): what is stored is checked here too.
const notADate = (path: string): FieldError => ({ path, message: "Expected a real calendar date, YYYY-MM-DD" });

/**
 * The day number of `date` when a person in `zone` may change it: from today to MAX_DAYS_AHEAD days ahead
 * in their zone; otherwise a 400 naming `date`.
 */
function changeableDay(date: string, zone: string, now: number): number {
  const today = localDay(zone, now);
  const day = dayNumber(date);
  if (day < today || day > today + MAX_DAYS_AHEAD) {
    throw invalid([
      {
        path: "date",
        message: `Expected a date from today to ${MAX_DAYS_AHEAD} days ahead in ${zone}: ${dateOf(today)} to ${dateOf(today + MAX_DAYS_AHEAD)}`,
      },
    ]);
  }
  return today;
}

/** Exceptions before yesterday (in the person's zone) are of no use to anyone: each write removes them. */
const forgetPast = (tx: postgres.TransactionSql, userId: string, today: number) =>
  tx`delete from user_dates where user_id = ${userId} and date < ${dateOf(today - 1)}`;

/**
 * Sets the free time of one local date of a person, instead of their weekly pattern; an empty `available` is
 * a day away. Null when the person is unknown. A protected profile needs its owner's token; a person keeps at
 * most MAX_DATE_EXCEPTIONS exceptions (a 409 past that). The cache holds the new state before it returns.
 */
export async function putDateException(
  deps: UsersDeps,
  email: string,
  date: string,
  input: DateExceptionInput,
  { principal, caseId }: Caller,
): Promise<DateException | null> {
  const { sql, inTime } = deps;
  const errors = [
    ...(isCalendarDate(date) ? [] : [notADate("date")]),
    ...dayErrors(input.available, "available"),
    ...dayErrors(input.if_needed, "if_needed"),
  ];
  if (errors.length) throw invalid(errors);
  const exception: DateException = {
    date,
    available: normalizeDay(input.available),
    if_needed: ifNeededDay(input.if_needed, input.available),
  };
  const now = Date.now();
  const row = await inTime.transaction(sql, async (tx) => {
    const [user] = await lockedProfileOf(tx, email.toLowerCase());
    if (!user) return undefined;
    mayChange(user, principal, "change");
    await forgetPast(tx, user.id, changeableDay(date, user.time_zone, now));
    const [held] = await tx<{ count: number; replacing: boolean }[]>`
      select count(*)::int as count, coalesce(bool_or(date = ${date}), false) as replacing
      from user_dates where user_id = ${user.id}`;
    if (!held!.replacing && held!.count >= MAX_DATE_EXCEPTIONS) {
      throw conflict(
        `${user.email} already has ${MAX_DATE_EXCEPTIONS} dated exceptions, the most one person may keep: ` +
          "delete one (DELETE /users/{email}/dates/{date}) before adding another",
      );
    }
    await tx`
      insert into user_dates (user_id, date, available, if_needed)
      values (${user.id}, ${date}, ${tx.json(exception.available)}, ${tx.json(exception.if_needed)})
      on conflict (user_id, date) do update set available = excluded.available, if_needed = excluded.if_needed`;
    return newVersionOf(deps, tx, user.id, caseId);
  });
  if (!row) return null;
  await writeThrough(deps, row.email, row.version, availabilityJson(row, now));
  return exception;
}

/**
 * Removes the exception of one local date, so the weekly pattern holds again: "deleted", or what was not
 * there. Same rules as `putDateException`.
 */
export async function deleteDateException(
  deps: UsersDeps,
  email: string,
  date: string,
  { principal, caseId }: Caller,
): Promise<"deleted" | "no user" | "no exception"> {
  const { sql, inTime } = deps;
  if (!isCalendarDate(date)) throw invalid([notADate("date")]);
  const now = Date.now();
  const row = await inTime.transaction(sql, async (tx) => {
    const [user] = await lockedProfileOf(tx, email.toLowerCase());
    if (!user) return "no user" as const;
    mayChange(user, principal, "change");
    await forgetPast(tx, user.id, changeableDay(date, user.time_zone, now));
    const deleted = await tx`delete from user_dates where user_id = ${user.id} and date = ${date} returning 1`;
    if (!deleted.length) return "no exception" as const;
    return newVersionOf(deps, tx, user.id, caseId);
  });
  if (typeof row === "string") return row;
  await writeThrough(deps, row.email, row.version, availabilityJson(row, now));
  return "deleted";
}

/** A person's exceptions between `from` and `to` (both inclusive, both optional), dates ascending; null when unknown. */
export async function listDateExceptions(
  { sql, inTime }: UsersDeps,
  email: string,
  query: DateListQuery,
): Promise<DateExceptionList | null> {
  const { from, to } = query;
  const errors: FieldError[] = [];
  if (from !== undefined && !isCalendarDate(from)) errors.push(notADate("from"));
  if (to !== undefined && !isCalendarDate(to)) errors.push(notADate("to"));
  if (!errors.length && from !== undefined && to !== undefined && from > to) {
    errors.push({ path: "from", message: "Expected a date on or before `to`" });
  }
  if (errors.length) throw invalid(errors);
  const [row] = await inTime(sql<{ dates: DateException[] }[]>`
    select coalesce((
      select json_agg(json_build_object('date', d.date, 'available', d.available, 'if_needed', d.if_needed) order by d.date)
      from user_dates d
      where d.user_id = u.id
        ${from === undefined ? sql`` : sql`and d.date >= ${from}`}
        ${to === undefined ? sql`` : sql`and d.date <= ${to}`}
    ), '[]') as dates
    from users u where lower(u.email) = ${email.toLowerCase()}`);
  return row ? { dates: row.dates } : null;
}
