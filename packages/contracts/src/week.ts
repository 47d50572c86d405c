import { Type, type Static } from "@sinclair/typebox";

/** The start hour (0–23) of a free one-hour slot. */
export const Hour = Type.Integer({ minimum: 0, maximum: 23, description: "Start hour of a free one-hour slot" });

const hours = Type.Array(Hour, { maxItems: 168 });
const inputDay = Type.Optional(hours);

/**
 * A week as a client sends it: a missing day means no free hours; unknown days are rejected.
 * Hours are deduplicated and sorted by the receiver.
 */
export const WeekInput = Type.Object(
  {
    monday: inputDay, tuesday: inputDay, wednesday: inputDay, thursday: inputDay,
    friday: inputDay, saturday: inputDay, sunday: inputDay,
  },
  {
    additionalProperties: false,
    description: "Free one-hour slots per weekday (start hours 0–23); a missing day has none",
    examples: [{ monday: [9, 10, 11], tuesday: [14] }],
  },
);
export type WeekInput = Static<typeof WeekInput>;

const outputDay = Type.Array(Hour);

/** A week as the system answers it: all seven days, in order, hours ascending. */
export const Week = Type.Object(
  {
    monday: outputDay, tuesday: outputDay, wednesday: outputDay, thursday: outputDay,
    friday: outputDay, saturday: outputDay, sunday: outputDay,
  },
  { description: "Free one-hour slots per weekday, all seven days present" },
);
export type Week = Static<typeof Week>;

/** How a person likes meetings placed in the week. */
export const Preference = Type.Union([Type.Literal("first"), Type.Literal("last"), Type.Literal("random")], {
  description: "first: earliest start in the week; last: latest; random: uniform over valid starts",
});
export type Preference = Static<typeof Preference>;
