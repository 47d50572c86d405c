import type { CreateTask, FieldError, TaskStatus } from "@w2meet/contracts";
import { groupOf, invalid, ProblemError } from "@w2meet/kit";
import { QUARTER_MS, readWindow } from "@w2meet/schedule";

/** The statuses of a task that has a booking, or had one (cancelled): they have a suggestion and an invitation. */
export const BOOKED_STATUSES: ReadonlySet<TaskStatus> = new Set<TaskStatus>(["done", "rebooked", "cancelled"]);

/**
 * Where a task looks for its slot, as asked: each part only when given (the zone in the database's
 * spelling); `at` is the one start to book, as an ISO 8601 instant in UTC.
 */
type Window = { from?: string; days?: number; tz?: string; at?: string };

/** Who must attend and how many, as asked: each part only when given (`required` lower-cased, repeats dropped). */
type Attendance = { required?: string[]; min_attendees?: number };

/** The entries of the group a request names, with the `required` people added: they join it if not in it. */
function namedGroup(body: CreateTask, required: readonly string[]): Pick<CreateTask, "users" | "userId1" | "userId2"> {
  if (!required.length) return body;
  if (body.users !== undefined) return { users: [...body.users, ...required] };
  if (body.userId1 !== undefined && body.userId2 !== undefined) return { users: [body.userId1, body.userId2, ...required] };
  // One userId alone is an error of its own; no group at all is the required people.
  return body.userId1 !== undefined || body.userId2 !== undefined ? body : { users: [...required] };
}

/**
 * The attendees, the window and the attendance of a request, or one 400 naming every offending field:
 * the group (users and required together: 2 to 100 distinct people), a `min_attendees` above the group's
 * size, a `from` that is neither a date nor an ISO 8601 instant (or lies too far from today), an `at` that
 * is no date-time on the quarter hour or comes with `from` or `days`, or an unknown `tz`.
 */
export function readRequest(body: CreateTask): { users: string[]; window: Window; attendance: Attendance } {
  const errors: FieldError[] = [];
  const required = body.required === undefined ? undefined : [...new Set(body.required.map((email) => email.trim().toLowerCase()))];
  let users: string[] = [];
  try {
    users = groupOf(namedGroup(body, required ?? []), "Name the attendees with users: [email, ...]");
  } catch (error) {
    if (!(error instanceof ProblemError && error.extras.errors)) throw error;
    errors.push(...error.extras.errors);
  }
  if (body.min_attendees !== undefined && users.length && body.min_attendees > users.length) {
    errors.push({ path: "min_attendees", message: `Expected at most the group's size, ${users.length} people` });
  }
  const from = body.from?.trim();
  const read = readWindow({ from, days: body.days, tz: body.tz }, Date.now());
  if (Array.isArray(read)) errors.push(...read);
  const at = readAt(body);
  if (typeof at === "object") errors.push(at);
  if (errors.length || Array.isArray(read)) throw invalid(errors, "The request body has invalid fields");
  return {
    users,
    window: {
      ...(typeof at === "string" && { at }),
      ...(from !== undefined && { from }),
      ...(body.days !== undefined && { days: body.days }),
      ...(body.tz !== undefined && { tz: read.zone }),
    },
    attendance: {
      ...(required !== undefined && { required }),
      ...(body.min_attendees !== undefined && { min_attendees: body.min_attendees }),
    },
  };
}

const AT_EXPECTED = "Expected an ISO 8601 date-time on the quarter hour, e.g. 2026-11-23T09:00:00Z";

/** A request's `at` as an ISO 8601 instant in UTC, undefined when absent, or the error naming it. */
function readAt(body: CreateTask): string | undefined | FieldError {
  if (body.at === undefined) return undefined;
  if (body.from !== undefined || body.days !== undefined) {
    return { path: "at", message: "Book one start (`at`) or look in a window (`from`, `days`), not both" };
  }
  const read = readWindow({ from: body.at.trim(), days: 1, tz: body.tz }, Date.now());
  // An unknown zone is named by the window's own reading (path tz); the request fails on it anyway.
  if (Array.isArray(read) && read.some((error) => error.path === "tz")) return undefined;
  if (Array.isArray(read)) return { path: "at", message: `${AT_EXPECTED}, from a year before to two years after today` };
  if (read.instant === undefined || read.instant % QUARTER_MS !== 0) {
    return { path: "at", message: AT_EXPECTED };
  }
  return new Date(read.instant).toISOString();
}
