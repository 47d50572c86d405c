import { Kind, type TNumber, type TOptional, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import {
  DEFAULT_DURATION_MINUTES,
  DURATION_STEP_MINUTES,
  MAX_GROUP,
  MIN_GROUP,
  SuggestionsQuery,
  type FieldError,
  type Preference,
} from "@w2meet/contracts";
import { ProblemError, fieldErrors, groupFromQuery, invalid, normalizeGroup } from "@w2meet/kit";
import { type Assumption, QUARTER_MS, readAssumption, readWindow, type Window } from "@w2meet/schedule";

/** A checked suggestions request: the group, in request order, and the meeting wanted. */
export type SuggestionRequest = {
  /** The group asked about: `users`, then `required` members they did not name, less those `without`. */
  users: string[];
  /** Meeting length in minutes, a multiple of 15. */
  minutes: number;
  /** The display zone, and with `from` (or `at`) the calendar to place meetings on. */
  window: Window;
  preference?: Preference;
  limit: number;
  minAttendees?: number;
  seed?: string;
  required: string[];
  /** Members left out, as the query named them. */
  without: string[];
  /** Whose if-needed hours count; absent: everyone's. */
  ifNeededOf?: string[];
  assume: Assumption[];
  /** With `at`: only the meeting starting at the calendar's first quarter. */
  at: boolean;
};

// Like the route's own check, which refuses parameters it does not know.
const queryCheck = TypeCompiler.Compile(Type.Object(SuggestionsQuery.properties, { additionalProperties: false }));
type SchemaErrors = Parameters<typeof fieldErrors>[0];

const NUMBER_PARAMS = ["duration", "limit", "min_attendees", "days"] as const;

/** A number parameter as an integer, with its bounds, default and description. */
function asInteger({ [Kind]: _kind, type: _type, multipleOf: _step, ...options }: TOptional<TNumber>) {
  return Type.Optional(Type.Integer(options));
}

/**
 * The query as the suggestions routes declare it: `SuggestionsQuery` with its numbers as integers, which
 * they are. `readSuggestionRequest` converts them from text in place before Elysia checks the query, so
 * Elysia must not convert them again: it converts `number` parameters (not `integer` ones) through
 * TypeBox's schema-walking decoder, twice per request.
 */
export const SuggestionsRouteQuery = Type.Object({
  ...SuggestionsQuery.properties,
  duration: asInteger(SuggestionsQuery.properties.duration),
  limit: asInteger(SuggestionsQuery.properties.limit),
  min_attendees: asInteger(SuggestionsQuery.properties.min_attendees),
  days: asInteger(SuggestionsQuery.properties.days),
});

const GROUP_PARAMS = new Set(["users", "userId1", "userId2", "required"]);

/** Collects the field errors a reader throws as a 400, so that one answer names them all. */
function collect<T>(errors: FieldError[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ProblemError && error.extras.errors)) throw error;
    errors.push(...error.extras.errors);
    return undefined;
  }
}

const listOf = (text: string | undefined): string[] =>
  text === undefined
    ? []
    : text
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);

/** Emails of a list parameter that must name members of the group; an error naming the field otherwise. */
function members(field: string, text: string | undefined, group: readonly string[], errors: FieldError[]): string[] {
  const emails = [...new Set(listOf(text).map((entry) => entry.toLowerCase()))];
  const strangers = emails.filter((email) => !group.includes(email));
  if (strangers.length) errors.push({ path: field, message: `Not in the group: ${strangers.slice(0, 5).join(", ")}` });
  return emails;
}

/** The group, `required` and the what-if changes to it, with errors for what does not fit together. */
function readGroup(valid: SuggestionsQuery, named: Set<string>, errors: FieldError[]) {
  if ([...GROUP_PARAMS].some((key) => named.has(key))) return undefined;
  const asked = collect(errors, () => groupFromQuery(valid));
  const required = valid.required === undefined ? [] : collect(errors, () => normalizeGroup(listOf(valid.required), "required", 1));
  if (!asked || !required) return undefined;
  const everyone = [...new Set([...asked, ...required])];
  if (everyone.length > MAX_GROUP) errors.push({ path: "required", message: `The group and required make more than ${MAX_GROUP} people` });
  const without = members("without", valid.without, everyone, errors);
  const users = everyone.filter((email) => !without.includes(email));
  if (without.length && users.length < MIN_GROUP)
    errors.push({ path: "without", message: `Leave at least ${MIN_GROUP} people in the group` });
  const ifNeeded = valid.if_needed?.trim();
  const ifNeededOf = ifNeeded === undefined ? undefined : ifNeeded === "none" ? [] : members("if_needed", ifNeeded, users, errors);
  return { users, required: required.filter((email) => users.includes(email)), without, ifNeededOf };
}

/** The `assume` entries, each naming a member of the group, a date only within a dated window. */
function readAssume(text: string | undefined, users: readonly string[], window: Window | undefined, errors: FieldError[]): Assumption[] {
  const out: Assumption[] = [];
  for (const entry of listOf(text)) {
    const read = readAssumption(entry);
    const dates = window?.calendar?.days.map((day) => day.date);
    const problem =
      typeof read === "string"
        ? read
        : !users.includes(read.email)
          ? `${read.email} is not in the group`
          : /^\d/.test(read.day) && window && !dates?.includes(read.day)
            ? `${read.day} is not a date of the window (a date needs \`from\`)`
            : null;
    if (problem) errors.push({ path: "assume", message: `${JSON.stringify(entry.slice(0, 80))}: ${problem}` });
    else out.push(read as Assumption);
  }
  return out;
}

/** The window: `from`/`days`/`tz`, or `at` (a one-day calendar starting at that quarter hour). */
function readMeetingWindow(valid: SuggestionsQuery, named: Set<string>, errors: FieldError[]): Window | undefined {
  if (named.has("tz") || named.has("from") || named.has("days") || named.has("at")) return undefined;
  if (valid.at !== undefined) {
    const clash = (["from", "days"] as const).filter((key) => valid[key] !== undefined);
    if (clash.length) {
      errors.push(...clash.map((path) => ({ path, message: "Not with `at`" })));
      return undefined;
    }
    const read = readWindow({ from: valid.at, days: 1, tz: valid.tz }, Date.now());
    if (Array.isArray(read)) {
      errors.push(...read.map((error) => (error.path === "from" ? { ...error, path: "at" } : error)));
      return undefined;
    }
    if (read.instant === undefined || read.instant % QUARTER_MS !== 0) {
      errors.push({ path: "at", message: "Expected an ISO 8601 date-time on the quarter hour, e.g. 2026-11-23T09:00:00Z" });
      return undefined;
    }
    return read;
  }
  const read = readWindow(valid, Date.now());
  if (Array.isArray(read)) {
    errors.push(...read);
    return undefined;
  }
  return read;
}

/**
 * Reads a raw suggestions query (text values) into a request. Every offending field is named in one
 * 400: the shape of each parameter, the group (2–100 distinct emails with `required`, at least 2 left
 * `without` some), durations on the 15-minute grid, min_attendees against the group's size, `assume` and
 * `if_needed` naming members, and the window. Numbers are converted in place, so the query the route
 * declares checks out afterwards.
 */
export function readSuggestionRequest(query: Record<string, unknown>): SuggestionRequest {
  for (const key of NUMBER_PARAMS) {
    const text = query[key];
    if (typeof text === "string" && text.trim() !== "" && Number.isFinite(Number(text))) query[key] = Number(text);
  }
  const errors: FieldError[] = queryCheck.Check(query) ? [] : fieldErrors([...queryCheck.Errors(query)] as SchemaErrors);
  const named = new Set(errors.map((error) => error.path));
  const valid = query as SuggestionsQuery;
  const group = readGroup(valid, named, errors);
  const duration = valid.duration ?? DEFAULT_DURATION_MINUTES;
  if (!named.has("duration") && duration % DURATION_STEP_MINUTES !== 0) {
    errors.push({ path: "duration", message: `Expected a multiple of ${DURATION_STEP_MINUTES} minutes` });
  }
  const minAttendees = valid.min_attendees;
  if (!named.has("min_attendees") && minAttendees !== undefined && group && minAttendees > group.users.length) {
    errors.push({ path: "min_attendees", message: `Expected at most the number of distinct users (${group.users.length})` });
  }
  const window = readMeetingWindow(valid, named, errors);
  const assume = group && !named.has("assume") ? readAssume(valid.assume, group.users, window, errors) : [];
  if (errors.length || !window || !group) throw invalid(errors, "The request query has invalid fields");
  return {
    ...group,
    minutes: duration,
    window,
    preference: valid.preference,
    limit: valid.limit ?? 1,
    minAttendees,
    seed: valid.seed,
    assume,
    at: valid.at !== undefined,
  };
}
