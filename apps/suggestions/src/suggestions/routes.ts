import { DatedSuggestionList, Explanation, Problem, SuggestionList } from "@w2meet/contracts";
import { caseIdOf } from "@w2meet/kit";
import { Elysia, t } from "elysia";
import { readSuggestionRequest, SuggestionsRouteQuery } from "./request.ts";
import { explain } from "./explanation.ts";
import * as suggestions from "./service.ts";

/** The suggestions route: ranked meeting slots for a group. */
export const suggestionsRoutes = (deps: suggestions.SuggestionsDeps) =>
  new Elysia({ name: "suggestions.routes", prefix: "/suggestions" })
    // Runs before Elysia checks the query, so one 400 can name the group and min_attendees along with
    // every other bad parameter (Elysia's own check names one converted number, and not the group).
    .derive(({ query }) => ({ wanted: readSuggestionRequest(query) }))
    .get("/explain", ({ wanted, set }) => explain(deps, wanted, caseIdOf(set)), {
      query: SuggestionsRouteQuery,
      response: { 200: Explanation, 400: Problem, 404: Problem, 502: Problem, 503: Problem, 504: Problem },
      detail: {
        tags: ["suggestions"],
        summary: "Explain the suggestions for a group: why none fit, and what would",
        description:
          "Takes the parameters of `GET /suggestions` (`preference`, `limit` and `seed` change nothing here) and answers " +
          "whether any slot fits, how many, the people who alone block the most otherwise-fitting slots, and, when none " +
          "fits, the smallest changes that would open one: a shorter meeting, a lower `min_attendees` (naming who would " +
          "miss it), one optional person left out, one person's if-needed hours counted (when `if_needed` names whose " +
          "count), one person freeing one block, more days from the same `from`. At most 5 of each kind, smallest " +
          "first, each with how many slots it opens, the earliest of them, and the query parameters that apply it. " +
          "Try a change before asking anyone with `without` (people left out) and `assume` (hours assumed free).",
      },
    })
    .get("", ({ wanted, set }) => suggestions.suggest(deps, wanted, caseIdOf(set)), {
      query: SuggestionsRouteQuery,
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
          "can come (every `required` person among them), ranked: required people all on their free time, then most " +
          "attendees, then fewest if-needed hours used (those using them named in `if_needed`), then `preference`. Slots start on the hour when everyone's time and the duration are whole hours, else on any " +
          "quarter hour. Without `from`: the weekday form (hours in `tz`) for the coming week there; with `from`: " +
          "dated slots with ISO 8601 `start` and `end`, each person's hours placed in their own time zone with their " +
          "dated exceptions. `without`, `assume` and `if_needed` try a change " +
          "(see the explanation route); `at` asks whether the one meeting starting then fits. Without `preference`, one " +
          "slot per distinct stored preference " +
          "of the users, in the order of the users list. 404 names unknown users in `missing`; 503/502 come from " +
          "the availability service (or the users service behind it) being unreachable or failing.",
      },
    });
