import { Type, type ObjectOptions, type Static, type TLiteral, type TSchema } from "@sinclair/typebox";

/** The days of a week, Monday first: the order of every per-day answer, and of the schedule's masks. */
export const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** One literal schema per value of a tuple, typed as a tuple, for `Type.Union`. */
const literals = <T extends readonly string[]>(values: T) =>
  values.map((value) => Type.Literal(value)) as unknown as { -readonly [K in keyof T]: TLiteral<T[K] & string> };

/** One weekday, e.g. `"monday"`. */
export const Day = Type.Union(literals(DAYS));
export type Day = (typeof DAYS)[number];

/** An object with one `schema` value per weekday, in order. */
export const perDay = <T extends TSchema>(schema: T, options: ObjectOptions = {}) =>
  Type.Object(Object.fromEntries(DAYS.map((day) => [day, schema])) as Record<Day, T>, options);

/** The start hour (0–23) of a free one-hour slot. */
export const Hour = Type.Integer({ minimum: 0, maximum: 23, description: "Start hour of a free one-hour slot" });

/**
 * A week as a client sends it: a missing day means no free hours; unknown days are rejected.
 * Hours are deduplicated and sorted by the receiver.
 */
export const WeekInput = perDay(Type.Optional(Type.Array(Hour, { maxItems: 168 })), {
  additionalProperties: false,
  description: "Free one-hour slots per weekday (start hours 0–23); a missing day has none",
  examples: [{ monday: [9, 10, 11], tuesday: [14] }],
});
export type WeekInput = Static<typeof WeekInput>;

/** A week as the system answers it: all seven days, in order, hours ascending. */
export const Week = perDay(Type.Array(Hour), { description: "Free one-hour slots per weekday, all seven days present" });
export type Week = Static<typeof Week>;

/** How a person likes meetings placed in the week. */
export const Preference = Type.Union([Type.Literal("first"), Type.Literal("last"), Type.Literal("random")], {
  description: "first: earliest start in the week; last: latest; random: uniform over valid starts",
});
export type Preference = Static<typeof Preference>;
