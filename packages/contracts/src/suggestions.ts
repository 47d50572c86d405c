// Schemas of the suggestions routes.
import { Type, type Static } from "@sinclair/typebox";
import { GroupQuery, MAX_GROUP, MIN_GROUP } from "./group.ts";
import { QueryInteger } from "./query.ts";
import { Email } from "./users.ts";
import { Day, Preference } from "./week.ts";

/** Meeting lengths are whole hours: minutes, a multiple of this. */
export const DURATION_STEP_MINUTES = 60;
export const MIN_DURATION_MINUTES = 60;
export const MAX_DURATION_MINUTES = 1440;
export const DEFAULT_DURATION_MINUTES = 60;
export const MAX_SUGGESTIONS = 50;
export const MAX_SEED_LENGTH = 128;

/** Query of `GET /suggestions`. */
export const SuggestionsQuery = Type.Object({
  ...GroupQuery.properties,
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

/** One suggested meeting and the preference that chose it. */
export const Suggestion = Type.Object(
  {
    day: Day,
    slot: Type.Tuple([Type.Integer({ minimum: 0, maximum: 23 }), Type.Integer({ minimum: 1, maximum: 24 })], {
      description: "[start hour, end hour (exclusive)]",
    }),
    preference: Preference,
    attendees: Type.Array(Email, { description: "Who is free for the whole slot, in the order of the users list" }),
    missing: Type.Array(Email, { description: "Who is not (only below everyone with min_attendees)" }),
  },
  {
    examples: [{ day: "monday", slot: [9, 10], preference: "first", attendees: ["ada@example.com", "grace@example.com"], missing: [] }],
  },
);
export type Suggestion = Static<typeof Suggestion>;

/** Answer of `GET /suggestions`: ranked suggestions, empty when nothing fits. */
export const SuggestionList = Type.Object({ suggestions: Type.Array(Suggestion) });
export type SuggestionList = Static<typeof SuggestionList>;
