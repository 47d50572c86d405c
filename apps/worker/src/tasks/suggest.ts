import { DatedSuggestionList, DEFAULT_TIME_ZONE, DEFAULT_WINDOW_DAYS, type DatedSuggestion, type Problem } from "@w2meet/contracts";
import { ProblemError, type ServiceClient } from "@w2meet/kit";
import { localDay, readWindow } from "@w2meet/schedule";
import { Value } from "@sinclair/typebox/value";
import { MailError } from "../invite/mail.ts";

/** What the suggestions service is asked about a task: its group, its rules, and its window. */
export type BookingRules = {
  users: string[];
  required: string[] | null;
  min_attendees: number | null;
  preference: string | null;
  duration: number;
  window_from: string | null;
  window_days: number | null;
  time_zone: string | null;
  /** The one start to book, when the task named it: no window then. */
  book_at: Date | null;
  created_at: Date;
};

/** A failure no retry can fix, e.g. an unknown attendee. */
export class PermanentFailure extends Error {}

/** The suggestions service does not know some of the people asked about (e.g. one was deleted). */
export class UnknownPeople extends PermanentFailure {
  constructor(readonly missing: string[]) {
    super(missing.length ? `Unknown users: ${missing.join(", ")}` : "The suggestions service knows none such users");
  }
}

/** The zone a task is worded in, and its window is read in. */
const zoneOf = (task: Pick<BookingRules, "time_zone">) => task.time_zone ?? DEFAULT_TIME_ZONE;

/** A dated suggestion whose instants are real and in order. */
const isPlaced = (suggestion: DatedSuggestion) => Date.parse(suggestion.start) < Date.parse(suggestion.end);

/**
 * Days a task without its own window looks at, counting the day it is made: from any moment of that day,
 * eight dates hold the whole week ahead, so every weekly hour of the group comes round once.
 */
const DAYS_FROM_NOW = 8;

/** Failures worth another attempt: the suggestions or users service unreachable or broken, SMTP not taking mail. */
export const isTransient = (error: unknown) =>
  error instanceof MailError || (error instanceof ProblemError && ["unavailable", "bad_gateway", "gateway_timeout"].includes(error.code));

/** The group and its rules as query parameters: users, and when the task named them, required and min_attendees. */
function groupQuery(task: BookingRules): URLSearchParams {
  const query = new URLSearchParams({ users: task.users.join(",") });
  if (task.required?.length) query.set("required", task.required.join(","));
  if (task.min_attendees !== null) query.set("min_attendees", String(task.min_attendees));
  query.set("duration", String(task.duration));
  query.set("tz", zoneOf(task));
  return query;
}

/** The suggestions a query answers; a 404 (unknown people) or another refusal throws a permanent failure. */
async function ask(suggestions: ServiceClient, query: URLSearchParams, caseId: string): Promise<DatedSuggestion[]> {
  const answer = await suggestions.get<unknown>(`/suggestions?${query}`, caseId);
  if (answer.status === 404) throw new UnknownPeople((answer.body as Partial<Problem>).missing ?? []);
  if (answer.status !== 200) {
    throw new PermanentFailure(
      `The suggestions service refused the task (${answer.status}): ${(answer.body as Partial<Problem>).detail ?? ""}`,
    );
  }
  // The kit's Elysia has registered the string formats (email) this check needs.
  if (!Value.Check(DatedSuggestionList, answer.body) || !answer.body.suggestions.every(isPlaced)) {
    throw new ProblemError("bad_gateway", "The suggestions service answered with an unexpected body");
  }
  return answer.body.suggestions;
}

/** The window a task was booked in: from its own `from`, or else from when it was made, over its days. */
const windowOf = (task: BookingRules) => ({
  from: task.window_from ?? task.created_at.toISOString(),
  days: task.window_days ?? (task.window_from ? DEFAULT_WINDOW_DAYS : DAYS_FROM_NOW),
});

/**
 * The window's part that is still ahead at `now`: the window itself if it has not begun, else from `now`
 * over its remaining days (its last day stays the same); null once its last day is over.
 */
export function windowFrom(task: BookingRules, now: number): { from: string; days: number } | null {
  const window = windowOf(task);
  const zone = zoneOf(task);
  const read = readWindow({ from: window.from, days: window.days, tz: zone }, now);
  if (Array.isArray(read) || !read.calendar) return null;
  if (read.calendar.origin >= now) return window;
  const lastDay = read.calendar.days.at(-1)!.dayNumber;
  const days = lastDay - localDay(zone, now) + 1;
  return days >= 1 ? { from: new Date(now).toISOString(), days } : null;
}

/**
 * The first fitting slot of the task's window (by default the one it was made with), in its zone. Null
 * when nothing fits. A task that named its start (`book_at`) gets that meeting or null.
 */
export async function suggest(
  suggestions: ServiceClient,
  task: BookingRules,
  caseId: string,
  window = windowOf(task),
): Promise<DatedSuggestion | null> {
  if (task.book_at) return meetingAt(suggestions, task, task.book_at, caseId);
  const query = groupQuery(task);
  query.set("from", window.from);
  query.set("days", String(window.days));
  if (task.preference) query.set("preference", task.preference);
  return (await ask(suggestions, query, caseId))[0] ?? null;
}

/** The meeting of the task starting exactly at `start`, when it fits the task's rules; null otherwise. */
async function meetingAt(suggestions: ServiceClient, task: BookingRules, start: Date, caseId: string): Promise<DatedSuggestion | null> {
  const query = groupQuery(task);
  query.set("at", start.toISOString());
  const [meeting] = await ask(suggestions, query, caseId);
  return meeting && Date.parse(meeting.start) === start.getTime() ? meeting : null;
}

/** Whether a meeting of the task starting exactly at `start` still fits its rules. */
export async function fitsAt(suggestions: ServiceClient, task: BookingRules, start: Date, caseId: string): Promise<boolean> {
  return (await meetingAt(suggestions, task, start, caseId)) !== null;
}
