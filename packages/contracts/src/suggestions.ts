// Schemas of the suggestions routes.
import { Type, type Static } from "@sinclair/typebox";
import { GroupQuery, MAX_GROUP, MIN_GROUP } from "./group.ts";
import { QueryInteger } from "./query.ts";
import { Email } from "./users.ts";
import { DatedPlace, DayHour, WindowQuery } from "./time.ts";
import { Day, Preference } from "./week.ts";

/** Meeting lengths are on the 15-minute grid: minutes, a multiple of this. */
export const DURATION_STEP_MINUTES = 15;
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 1440;
export const DEFAULT_DURATION_MINUTES = 60;
export const MAX_SUGGESTIONS = 50;
export const MAX_SEED_LENGTH = 128;

/** Query of `GET /suggestions`. */
export const SuggestionsQuery = Type.Object({
  ...GroupQuery.properties,
  ...WindowQuery.properties,
  preference: Type.Optional(
    Type.Union(Preference.anyOf, {
      description:
        "first: earliest start in the week; last: latest; random: uniform over valid starts. " +
        "Absent: one suggestion per distinct stored preference of the users, in the order of the users list",
    }),
  ),
  duration: Type.Optional(
    QueryInteger({
      minimum: MIN_DURATION_MINUTES,
      maximum: MAX_DURATION_MINUTES,
      default: DEFAULT_DURATION_MINUTES,
      description: `Meeting length in minutes, a multiple of ${DURATION_STEP_MINUTES}; a meeting lies within one day`,
    }),
  ),
  limit: Type.Optional(QueryInteger({ minimum: 1, maximum: MAX_SUGGESTIONS, default: 1, description: "Distinct slots per preference" })),
  min_attendees: Type.Optional(
    QueryInteger({
      minimum: MIN_GROUP,
      maximum: MAX_GROUP,
      description:
        "Fewest people who must be free, at most the number of distinct users (default: everyone). " +
        "Below everyone, slots more people can attend rank first",
    }),
  ),
  seed: Type.Optional(
    Type.String({ minLength: 1, maxLength: MAX_SEED_LENGTH, description: "With `random`: the same seed gives the same answer" }),
  ),
});
export type SuggestionsQuery = Static<typeof SuggestionsQuery>;

const Who = {
  preference: Preference,
  attendees: Type.Array(Email, {
    description: "Who can make the whole slot (some maybe only with if-needed time), in the order of the users list",
  }),
  missing: Type.Array(Email, { description: "Who cannot (only below everyone with min_attendees)" }),
  if_needed: Type.Optional(
    Type.Array(Email, { minItems: 1, description: "Attendees who would be using if-needed time; absent when nobody would" }),
  ),
};

/** One suggested meeting in the weekday form (a query without `from`) and the preference that chose it. */
export const Suggestion = Type.Object(
  {
    day: Day,
    slot: Type.Tuple([DayHour, DayHour], { description: "[start hour, end hour (exclusive)]; 9.5 is 09:30" }),
    ...Who,
  },
  {
    examples: [
      {
        day: "monday",
        slot: [9, 10],
        preference: "first",
        attendees: ["ada@example.com", "grace@example.com"],
        missing: [],
      },
    ],
  },
);
export type Suggestion = Static<typeof Suggestion>;

/** One suggested meeting at real instants (a query with `from`). */
export const DatedSuggestion = Type.Object(
  { ...DatedPlace, ...Who },
  {
    examples: [
      {
        date: "2026-11-23",
        day: "monday",
        start: "2026-11-23T09:00:00+01:00",
        end: "2026-11-23T10:00:00+01:00",
        slot: [9, 10],
        preference: "first",
        attendees: ["ada@example.com", "grace@example.com"],
        missing: [],
      },
    ],
  },
);
export type DatedSuggestion = Static<typeof DatedSuggestion>;

/** Answer of `GET /suggestions`: ranked suggestions, empty when nothing fits. */
export const SuggestionList = Type.Object({ suggestions: Type.Array(Suggestion) });
export type SuggestionList = Static<typeof SuggestionList>;

/** Answer of `GET /suggestions` with `from`: ranked dated suggestions, earliest first for `first`. */
export const DatedSuggestionList = Type.Object({ suggestions: Type.Array(DatedSuggestion) });
export type DatedSuggestionList = Static<typeof DatedSuggestionList>;
