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

/** The longest `assume` list, in characters. */
export const MAX_ASSUME_LENGTH = 4000;

/** Who must come, whose if-needed time counts, and what-if changes: shared by suggestions and their explanation. */
export const MeetingRulesQuery = Type.Object({
  required: Type.Optional(
    Type.String({
      description:
        "Comma-separated emails who must all attend every slot; they join the group if `users` does not name them. " +
        "`min_attendees` counts everyone",
      examples: ["ada@example.com"],
    }),
  ),
  without: Type.Optional(
    Type.String({
      description: "What-if: comma-separated members of the group left out, as if not asked (at least 2 must remain)",
    }),
  ),
  assume: Type.Optional(
    Type.String({
      maxLength: MAX_ASSUME_LENGTH,
      description:
        "What-if: comma-separated `email:day:HH:MM-HH:MM`, hours assumed free for that member, in `tz`, on the quarter " +
        "hour; the day is a weekday (each one of the window) or, with `from`, a date of the window",
      examples: ["grace@example.com:monday:09:00-10:30", "grace@example.com:2026-11-23:14:00-15:00"],
    }),
  ),
  if_needed: Type.Optional(
    Type.String({
      description: "Whose if-needed hours count: comma-separated members, or `none`. Absent: everyone's (ranked after free time)",
    }),
  ),
  at: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        "Only the meeting starting at this ISO 8601 instant (or local date-time in `tz`), on the quarter hour: one " +
        "suggestion when it fits the rules, none when not. Not with `from` or `days`",
      examples: ["2026-11-23T09:00:00+01:00"],
    }),
  ),
});

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
  ...MeetingRulesQuery.properties,
});
export type SuggestionsQuery = Static<typeof SuggestionsQuery>;

const Who = {
  preference: Preference,
  attendees: Type.Array(Email, {
    description: "Who can make the whole slot (some maybe only with if-needed time), in the order of the users list",
  }),
  missing: Type.Array(Email, { description: "Who cannot (only below everyone with min_attendees; never a required member)" }),
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
