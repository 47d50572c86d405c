import { type DatedSuggestionList, type GroupMembers, MAX_GROUP, type SuggestionList } from "@w2meet/contracts";
import { coalescedRead, type Logger, type ManyRead, ProblemError } from "@w2meet/kit";
import { relayProblem, type RelayingClient } from "@w2meet/kit/relay";
import { type MeetingOptions, type PersonInput, suggestDated, suggestWeekly } from "@w2meet/schedule";
import type { SuggestionRequest } from "./request.ts";

/** What the suggestions functions work with; made once by `suggestionsDeps`. */
export type SuggestionsDeps = { members: ManyRead<string, PersonInput> };

// Problems of the availability service our caller should see as they are: unknown users (with
// `missing`), and the service or the users service behind it being down or failing.
const PASSED_ON = new Set([404, 502, 503, 504]);

const groupPath = (users: readonly string[]) => `/availability/members?users=${users.map(encodeURIComponent).join(",")}`;

/**
 * The members of a group (weeks, if-needed time, zones, exceptions and preferences) from one call to the
 * availability service. Its 404/502/503/504 are passed on as they are; anything else it refuses is a 502.
 */
async function readMembers(availability: RelayingClient, users: readonly string[], caseId: string): Promise<PersonInput[]> {
  const answer = await availability.get<GroupMembers>(groupPath(users), caseId);
  if (!answer.ok) {
    if (PASSED_ON.has(answer.status)) throw relayProblem("availability", answer);
    throw new ProblemError("bad_gateway", `The availability service answered ${answer.status}`);
  }
  const found = answer.body.members;
  if (!found) throw new ProblemError("bad_gateway", "The availability service answered without the members' weeks");
  return found;
}

/** The users a 404 of the availability service names as unknown. */
const unknownUsers = (error: unknown): ReadonlySet<string> | undefined =>
  error instanceof ProblemError && error.status === 404 && error.extras.missing ? new Set(error.extras.missing) : undefined;

/**
 * The suggestions functions' dependencies over the availability service. `members(users, caseId)` reads a
 * group's members in its order; while such a read is under way, the groups asked for in one turn of the
 * event loop are read in one call (up to the largest group a query may name), a group naming an unknown
 * user again alone, so that each answer is the one its group alone would get.
 */
export function suggestionsDeps(availability: RelayingClient, logger: Logger): SuggestionsDeps {
  return {
    members: coalescedRead({
      name: "members",
      read: (users, caseId) => readMembers(availability, users, caseId),
      maxKeys: MAX_GROUP,
      blamed: unknownUsers,
      logger,
    }),
  };
}

/** What the schedule's meeting functions take, from a request. */
export const meetingOf = (request: SuggestionRequest): MeetingOptions => ({
  minutes: request.minutes,
  preference: request.preference,
  limit: request.limit,
  minAttendees: request.minAttendees,
  seed: request.seed,
  required: request.required,
  ifNeededOf: request.ifNeededOf,
  assume: request.assume,
});

/**
 * Ranks meeting slots for a group. Without `from`, the weekday form for the coming week in `tz`; with it,
 * dated slots; with `at`, the one meeting starting then, if it fits.
 */
export async function suggest(
  deps: SuggestionsDeps,
  request: SuggestionRequest,
  caseId: string,
): Promise<SuggestionList | DatedSuggestionList> {
  const found = await deps.members(request.users, caseId);
  const options = meetingOf(request);
  const { calendar, zone } = request.window;
  if (calendar && request.at) return { suggestions: suggestDated(found, calendar, { ...options, at: 0, preference: "first", limit: 1 }) };
  if (calendar) return { suggestions: suggestDated(found, calendar, options) };
  return { suggestions: suggestWeekly(found, zone, Date.now(), options) };
}
