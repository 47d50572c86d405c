import type { CommonAvailability, DatedSuggestionList, SuggestionList } from "@w2meet/contracts";
import { ProblemError } from "@w2meet/kit";
import { relayProblem, type RelayingClient } from "@w2meet/kit/relay";
import { suggestDated, suggestWeekly } from "@w2meet/schedule";
import type { SuggestionRequest } from "./request.ts";

/** What the suggestions functions work with; made once in app.ts. */
export type SuggestionsDeps = { availability: RelayingClient };

// Problems of the availability service our caller should see as they are: unknown users (with
// `missing`), and the service or the users service behind it being down or failing.
const PASSED_ON = new Set([404, 502, 503, 504]);

const groupPath = (users: readonly string[]) =>
  `/availability/common_availabilities?users=${users.map(encodeURIComponent).join(",")}&include=members`;

/**
 * Ranks meeting slots for a group from one call to the availability service, which answers the
 * members (weeks, if-needed time, zones, exceptions and preferences). Its 404/502/503/504 are passed on
 * as they are; anything else it refuses is a 502. Without `from`, the weekday form for the coming week
 * in `tz`; with it, dated slots.
 */
export async function suggest(
  { availability }: SuggestionsDeps,
  request: SuggestionRequest,
  caseId: string,
): Promise<SuggestionList | DatedSuggestionList> {
  const answer = await availability.get<CommonAvailability>(groupPath(request.users), caseId);
  if (!answer.ok) {
    if (PASSED_ON.has(answer.status)) throw relayProblem("availability", answer);
    throw new ProblemError("bad_gateway", `The availability service answered ${answer.status}`);
  }
  const found = answer.body.members;
  if (!found) throw new ProblemError("bad_gateway", "The availability service answered without the members' weeks");
  const options = {
    minutes: request.minutes,
    preference: request.preference,
    limit: request.limit,
    minAttendees: request.minAttendees,
    seed: request.seed,
  };
  const { calendar, zone } = request.window;
  if (calendar) return { suggestions: suggestDated(found, calendar, options) };
  return { suggestions: suggestWeekly(found, zone, Date.now(), options) };
}
