import { DatedSuggestionList, Problem, SuggestionList, SuggestionsQuery } from "@w2meet/contracts";
import { caseIdOf } from "@w2meet/kit";
import { Elysia, t } from "elysia";
import { readSuggestionRequest } from "./request.ts";
import * as suggestions from "./service.ts";

/** The suggestions route: ranked meeting slots for a group. */
export const suggestionsRoutes = (deps: suggestions.SuggestionsDeps) =>
  new Elysia({ name: "suggestions.routes", prefix: "/suggestions" })
    // Runs before Elysia checks the query, so one 400 can name the group and min_attendees along with
    // every other bad parameter (Elysia's own check names one converted number, and not the group).
    .derive(({ query }) => ({ wanted: readSuggestionRequest(query) }))
    .get("", ({ wanted, set }) => suggestions.suggest(deps, wanted, caseIdOf(set)), {
      query: SuggestionsQuery,
      response: {
        200: t.Union([SuggestionList, DatedSuggestionList]),
        400: Problem,
        404: Problem,
        502: Problem,
        503: Problem,
        504: Problem,
      },
      detail: {
        tags: ["suggestions"],
        summary: "Suggest meeting slots for a group",
        description:
          "Slots of `duration` minutes (a multiple of 15) within one day when at least `min_attendees` (default: everyone) " +
          "can come, ranked by attendees, then by how few would use if-needed time (named in `if_needed`), then by " +
          "`preference`. Slots start on the hour when everyone's time and the duration are whole hours, else on any " +
          "quarter hour. Without `from`: the weekday form (hours in `tz`) for the coming week there; with `from`: " +
          "dated slots with ISO 8601 `start` and `end`, each person's hours placed in their own time zone with their " +
          "dated exceptions. Without `preference`, one slot per distinct stored preference " +
          "of the users, in the order of the users list. 404 names unknown users in `missing`; 503/502 come from " +
          "the availability service (or the users service behind it) being unreachable or failing.",
      },
    });
