import type { DatedSuggestionList, GroupMembers, SuggestionList } from "@w2meet/contracts";
import { ProblemError } from "@w2meet/kit";
import { relayProblem, type RelayingClient } from "@w2meet/kit/relay";
import { type MeetingOptions, type PersonInput, suggestDated, suggestWeekly } from "@w2meet/schedule";
import type { SuggestionRequest } from "./request.ts";

/** What the suggestions functions work with; made once in app.ts. */
export type SuggestionsDeps = { availability: RelayingClient };

// Problems of the availability service our caller should see as they are: unknown users (with
// `missing`), and the service or the users service behind it being down or failing.
const PASSED_ON = new Set([404, 502, 503, 504]);

const groupPath = (users: readonly string[]) => `/availability/members?users=${users.map(encodeURIComponent).join(",")}`;

/**
 * The members of the group (weeks, if-needed time, zones, exceptions and preferences) from one call to the
 * availability service. Its 404/502/503/504 are passed on as they are; anything else it refuses is a 502.
 */
export async function membersOf({ availability }: SuggestionsDeps, users: readonly string[], caseId: string): Promise<PersonInput[]> {
  const answer = await availability.get<GroupMembers>(groupPath(users), caseId);
  if (!answer.ok) {
    if (PASSED_ON.has(answer.status)) throw relayProblem("availability", answer);
    throw new ProblemError("bad_gateway", `The availability service answered ${answer.status}`);
  }
  const found = answer.body.members;
  if (!found) throw new ProblemError("bad_gateway", "The availability service answered without the members' weeks");
  return found;
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
  const found = await membersOf(deps, request.users, caseId);
  const options = meetingOf(request);
  const { calendar, zone } = request.window;
  if (calendar && request.at) return { suggestions: suggestDated(found, calendar, { ...options, at: 0, preference: "first", limit: 1 }) };
  if (calendar) return { suggestions: suggestDated(found, calendar, options) };
  return { suggestions: suggestWeekly(found, zone, Date.now(), options) };
}
