import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { DEFAULT_DURATION_MINUTES, DURATION_STEP_MINUTES, SuggestionsQuery, type FieldError, type Preference } from "@w2meet/contracts";
import { ProblemError, fieldErrors, groupFromQuery, invalid } from "@w2meet/kit";
import { readWindow, type Window } from "@w2meet/schedule";

/** A checked suggestions request: the group, in request order, and the meeting wanted. */
export type SuggestionRequest = {
  users: string[];
  /** Meeting length in minutes, a multiple of 15. */
  minutes: number;
  /** The display zone, and with `from` the calendar to place meetings on. */
  window: Window;
  preference?: Preference;
  limit: number;
  minAttendees?: number;
  seed?: string;
};

// Like the route's own check, which refuses parameters it does not know.
const queryCheck = TypeCompiler.Compile(Type.Object(SuggestionsQuery.properties, { additionalProperties: false }));
type SchemaErrors = Parameters<typeof fieldErrors>[0];
const NUMBER_PARAMS = ["duration", "limit", "min_attendees", "days"] as const;
const GROUP_PARAMS = new Set(["users", "userId1", "userId2"]);

/**
 * Reads a raw suggestions query (text values) into a request. Every offending field is named in one
 * 400: the shape of each parameter, the group (2–100 distinct emails), whole-hour durations and
 * min_attendees against the group's size. Numbers are converted in place, so the query the route
 * declares checks out afterwards. `from`, `days` and `tz` make the window (see `readWindow`).
 */
export function readSuggestionRequest(query: Record<string, unknown>): SuggestionRequest {
  for (const key of NUMBER_PARAMS) {
    const text = query[key];
    if (typeof text === "string" && text.trim() !== "" && Number.isFinite(Number(text))) query[key] = Number(text);
  }
  const errors: FieldError[] = queryCheck.Check(query) ? [] : fieldErrors([...queryCheck.Errors(query)] as SchemaErrors);
  const named = new Set(errors.map((error) => error.path));
  const valid = query as SuggestionsQuery;

  let users: string[] = [];
  if (![...GROUP_PARAMS].some((key) => named.has(key))) {
    try {
      users = groupFromQuery(valid);
    } catch (error) {
      if (!(error instanceof ProblemError && error.extras.errors)) throw error;
      errors.push(...error.extras.errors);
    }
  }
  const duration = valid.duration ?? DEFAULT_DURATION_MINUTES;
  if (!named.has("duration") && duration % DURATION_STEP_MINUTES !== 0) {
    errors.push({ path: "duration", message: `Expected a multiple of ${DURATION_STEP_MINUTES} minutes` });
  }
  const minAttendees = valid.min_attendees;
  if (!named.has("min_attendees") && minAttendees !== undefined && users.length > 0 && minAttendees > users.length) {
    errors.push({ path: "min_attendees", message: `Expected at most the number of distinct users (${users.length})` });
  }
  let window: Window | undefined;
  if (!named.has("tz") && !named.has("from") && !named.has("days")) {
    const read = readWindow(valid, Date.now());
    if (Array.isArray(read)) errors.push(...read);
    else window = read;
  }
  if (errors.length || !window) throw invalid(errors, "The request query has invalid fields");

  return {
    users,
    minutes: duration,
    window,
    preference: valid.preference,
    limit: valid.limit ?? 1,
    minAttendees,
    seed: valid.seed,
  };
}
