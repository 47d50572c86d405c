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

/** Every time of day names a quarter hour: times and durations are on this grid. */
export const GRID_MINUTES = 15;

/** A free range of one day on the 15-minute grid, e.g. `"09:00-12:30"`; `24:00` is midnight at its end. */
export const TimeRange = Type.String({
  pattern: "^([01][0-9]|2[0-3]):(00|15|30|45)-(([01][0-9]|2[0-3]):(00|15|30|45)|24:00)$",
  description: "HH:MM-HH:MM on the 15-minute grid, start before end; 24:00 ends the day",
  examples: ["09:00-12:30"],
});

/** One item of a day: a whole free hour (its start, 0–23) or a range with minutes. */
export const DaySlot = Type.Union([Hour, TimeRange]);
export type DaySlot = Static<typeof DaySlot>;

/** A day's free time as a client sends it: whole hours, ranges, or both; overlaps are merged. */
export const DaySlotsInput = Type.Array(DaySlot, {
  maxItems: 168,
  description: 'Whole hours (start hours 0–23) and/or ranges on the 15-minute grid, e.g. [9, 10] or ["09:00-12:30"]',
});

/**
 * A day's free time as the system answers it: the start hours when the day is made of whole hours
 * (today's form), otherwise its merged ranges, e.g. `["09:00-12:30"]`.
 */
export const DaySlots = Type.Array(DaySlot, {
  description: 'Start hours when every free hour is whole, else merged ranges ("09:00-12:30")',
});
export type DaySlots = Static<typeof DaySlots>;

/**
 * A week as a client sends it: a missing day means no free hours; unknown days are rejected.
 * Items are merged, deduplicated and sorted by the receiver.
 */
export const WeekInput = perDay(Type.Optional(DaySlotsInput), {
  additionalProperties: false,
  description: "Free time per weekday: whole hours (0–23) or ranges on the 15-minute grid; a missing day has none",
  examples: [{ monday: [9, 10, 11], tuesday: ["14:00-15:30"] }],
});
export type WeekInput = Static<typeof WeekInput>;

/** A week as the system answers it: all seven days, in order; whole hours as start hours, else ranges. */
export const Week = perDay(DaySlots, { description: "Free time per weekday, all seven days present" });
export type Week = Static<typeof Week>;

/** How a person likes meetings placed in the week. */
export const Preference = Type.Union([Type.Literal("first"), Type.Literal("last"), Type.Literal("random")], {
  description: "first: earliest start in the week; last: latest; random: uniform over valid starts",
});
export type Preference = Static<typeof Preference>;
