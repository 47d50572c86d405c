// Schemas of the availability routes.
import { Type, type Static } from "@sinclair/typebox";
import { GroupQuery } from "./group.ts";
import { Email, UserAvailability } from "./users.ts";
import { Day, perDay, Preference, Week } from "./week.ts";

/** A run of consecutive common free hours within one day: from `start` up to, not including, `end`. */
export const Interval = Type.Object(
  {
    day: Day,
    start: Type.Integer({ minimum: 0, maximum: 23, description: "First free hour" }),
    end: Type.Integer({ minimum: 1, maximum: 24, description: "Hour the run ends (exclusive)" }),
  },
  { examples: [{ day: "monday", start: 9, end: 12 }] },
);
export type Interval = Static<typeof Interval>;

/** Query of `GET /availability/common_availabilities`: a group, and optionally its members' weeks. */
export const CommonAvailabilityQuery = Type.Object({
  ...GroupQuery.properties,
  include: Type.Optional(
    Type.Literal("members", {
      description:
        "`members` adds every member's own week and preference to the answer, so a caller that ranks " +
        "meetings (the suggestions service) needs this one call only",
    }),
  ),
});
export type CommonAvailabilityQuery = Static<typeof CommonAvailabilityQuery>;

/** Answer of `GET /availability/common_availabilities`. */
export const CommonAvailability = Type.Object({
  users: Type.Array(Email, { description: "The group: distinct lower-cased emails in request order" }),
  common_availabilities: Week,
  intervals: Type.Array(Interval, { description: "Consecutive common hours merged, days in order, earliest first" }),
  preferences: Type.Record(Type.String(), Preference, { description: "Each member's stored preference, by email" }),
  members: Type.Optional(
    Type.Array(UserAvailability, { description: "Only with `include=members`: each member's week, in request order" }),
  ),
});
export type CommonAvailability = Static<typeof CommonAvailability>;

/** Answer of `GET /availability/heatmap`. */
export const AvailabilityHeatmap = Type.Object({
  users: Type.Array(Email, { description: "The group: distinct lower-cased emails in request order" }),
  slots: perDay(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 24, maxItems: 24 }), {
    description: "Per day, 24 counts: how many members are free at each hour",
  }),
  free: perDay(Type.Array(Type.Array(Type.String()), { minItems: 24, maxItems: 24 }), {
    description: "Per day, 24 lists: who is free at each hour, in request order",
  }),
});
export type AvailabilityHeatmap = Static<typeof AvailabilityHeatmap>;
