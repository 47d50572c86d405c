// Schemas of the explanation route: why a group has the slots it has, and what would open some.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { Email } from "./users.ts";
import { DatedPlace, DayHour } from "./time.ts";
import { Day } from "./week.ts";

/** A slot in the weekday form (a query without `from`). */
const WeekdayPlace = Type.Object({ day: Day, slot: Type.Tuple([DayHour, DayHour]) });

/** A slot: weekday form without `from`, dated with it. */
const Place = Type.Union([WeekdayPlace, Type.Object(DatedPlace)], { description: "Weekday form without `from`, dated with it" });

const Apply = Type.Record(Type.String(), Type.String(), {
  description: "The query parameters to set (replacing their values) to try this change",
  examples: [{ duration: "45" }],
});

/** One change and what it opens: how many slots, the earliest, and the parameters that apply it. */
const Relaxation = <T extends Record<string, TSchema>>(fields: T, description: string) =>
  Type.Array(
    Type.Object({
      ...fields,
      slots: Type.Integer({ minimum: 1, description: "Slots it would open" }),
      first: Place,
      apply: Apply,
    }),
    { maxItems: 5, description },
  );

/** Answer of `GET /suggestions/explain`. */
export const Explanation = Type.Object(
  {
    feasible: Type.Boolean({ description: "Whether at least one slot fits" }),
    slots: Type.Integer({ minimum: 0, description: "How many distinct slots fit (every start, not only `limit`)" }),
    blockers: Type.Array(
      Type.Object({
        email: Email,
        slots: Type.Integer({ minimum: 1, description: "Slots that fit but for this person alone" }),
      }),
      { description: "People by how many otherwise-fitting slots they alone block, most first" },
    ),
    relaxations: Type.Object(
      {
        shorter: Relaxation({ duration: Type.Integer({ minimum: 15 }) }, "Shorter meetings, longest first"),
        fewer_attendees: Relaxation(
          { min_attendees: Type.Integer({ minimum: 2 }), missing: Type.Array(Email) },
          "A lower min_attendees and who would miss the slots it opens, highest first",
        ),
        drop_optional: Relaxation({ email: Email }, "One optional person left out"),
        if_needed: Relaxation({ email: Email }, "One person's if-needed hours counted (with an `if_needed` list)"),
        free_block: Relaxation(
          {
            email: Email,
            block: Place,
            minutes: Type.Integer({ minimum: 15 }),
            assume: Type.String({ description: "The block as an `assume` entry" }),
          },
          "One person freeing one block, shortest first",
        ),
        wider_window: Relaxation({ days: Type.Integer({ minimum: 2 }) }, "More days from the same `from`, fewest first"),
      },
      { description: "Only when nothing fits: the smallest changes that open a slot, at most 5 of each kind" },
    ),
  },
  {
    examples: [
      {
        feasible: false,
        slots: 0,
        blockers: [{ email: "grace@example.com", slots: 2 }],
        relaxations: {
          shorter: [],
          fewer_attendees: [],
          drop_optional: [],
          if_needed: [],
          free_block: [
            {
              email: "grace@example.com",
              block: { day: "monday", slot: [9, 10] },
              minutes: 60,
              assume: "grace@example.com:monday:09:00-10:00",
              slots: 1,
              first: { day: "monday", slot: [9, 10] },
              apply: { assume: "grace@example.com:monday:09:00-10:00" },
            },
          ],
          wider_window: [],
        },
      },
    ],
  },
);
export type Explanation = Static<typeof Explanation>;
