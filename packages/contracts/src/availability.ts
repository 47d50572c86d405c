// Schemas of the availability routes.
import { Type, type Static } from "@sinclair/typebox";
import { GroupQuery } from "./group.ts";
import { QueryInteger } from "./query.ts";
import { CalendarDate, DatedPlace, DayHour, Instant, WindowQuery, ZoneName } from "./time.ts";
import { Email, UserAvailability } from "./users.ts";
import { Day, DaySlots, perDay, Preference, Week } from "./week.ts";

/** A run of consecutive common free time within one day: from `start` up to, not including, `end`. */
export const Interval = Type.Object(
  {
    day: Day,
    start: Type.Unsafe<number>({ ...DayHour, maximum: 23.75, description: "Where the run starts, in hours (9.5 is 09:30)" }),
    end: Type.Unsafe<number>({ ...DayHour, minimum: 0.25, description: "Where the run ends (exclusive), in hours" }),
  },
  { examples: [{ day: "monday", start: 9, end: 12 }] },
);
export type Interval = Static<typeof Interval>;

/** Query of `GET /availability/common_availabilities`: a group, and optionally its members' weeks. */
export const CommonAvailabilityQuery = Type.Object({
  ...GroupQuery.properties,
  ...WindowQuery.properties,
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

/** Answer of `GET /availability/members`: each member of a group as stored, for a caller that ranks meetings. */
export const GroupMembers = Type.Object({
  users: Type.Array(Email, { description: "The group: distinct lower-cased emails in request order" }),
  members: Type.Array(UserAvailability, {
    description: "Each member's weeks, if-needed weeks, time zone, dated exceptions and preference, in request order",
  }),
});
export type GroupMembers = Static<typeof GroupMembers>;

/** A run of common free time on one date of a dated query, within that date in the display zone. */
export const DatedInterval = Type.Object(DatedPlace, {
  examples: [
    {
      date: "2026-11-23",
      day: "monday",
      start: "2026-11-23T09:00:00+01:00",
      end: "2026-11-23T12:30:00+01:00",
      slot: [9, 12.5],
    },
  ],
});
export type DatedInterval = Static<typeof DatedInterval>;

const GroupUsers = Type.Array(Email, { description: "The group: distinct lower-cased emails in request order" });
const WindowBounds = {
  time_zone: Type.Unsafe<string>({ ...ZoneName, description: "The display zone (`tz`)" }),
  from: Type.Unsafe<string>({ ...Instant, description: "Where the window starts" }),
  to: Type.Unsafe<string>({ ...Instant, description: "Where the window ends (exclusive)" }),
};

/** Answer of `GET /availability/common_availabilities` with `from`: real, dated common time. */
export const DatedCommonAvailability = Type.Object({
  users: GroupUsers,
  ...WindowBounds,
  dates: Type.Array(Type.Object({ date: CalendarDate, day: Day, available: DaySlots }), {
    description: "Each date of the window in the display zone, with the time everyone is free on it",
  }),
  intervals: Type.Array(DatedInterval, { description: "Common free time merged, earliest first, split at midnight in `tz`" }),
  preferences: Type.Record(Type.String(), Preference, { description: "Each member's stored preference, by email" }),
  members: Type.Optional(Type.Array(UserAvailability, { description: "Only with `include=members`: each member, in request order" })),
});
export type DatedCommonAvailability = Static<typeof DatedCommonAvailability>;

/** Heatmap cells are this many minutes; an hour when absent. */
export const HEATMAP_STEPS = [15, 30, 60] as const;

/** Query of `GET /availability/heatmap`. */
export const HeatmapQuery = Type.Object({
  ...GroupQuery.properties,
  ...WindowQuery.properties,
  step: Type.Optional(
    QueryInteger({
      minimum: 15,
      maximum: 60,
      default: 60,
      description: "Minutes per cell: 15, 30 or 60 (24 cells a day)",
    }),
  ),
});
export type HeatmapQuery = Static<typeof HeatmapQuery>;

const Counts = Type.Array(Type.Integer({ minimum: 0 }), { minItems: 24, maxItems: 96 });
const Lists = Type.Array(Type.Array(Type.String()), { minItems: 24, maxItems: 96 });
/** One day of a heatmap: per cell, who is free for all of it, and who only with their if-needed time. */
const HeatmapDay = {
  slots: Counts,
  free: Lists,
  if_needed_slots: Type.Optional(Counts),
  if_needed: Type.Optional(Lists),
};

/** Answer of `GET /availability/heatmap`. */
export const AvailabilityHeatmap = Type.Object({
  users: GroupUsers,
  slots: perDay(Counts, { description: "Per day, one count per cell (24 by default): how many members are free for all of it" }),
  free: perDay(Lists, { description: "Per day, one list per cell: who is free for all of it, in request order" }),
  if_needed_slots: Type.Optional(
    perDay(Counts, {
      description:
        "Per day, one count per cell: how many members can make it only with their if-needed time (present when someone has any)",
    }),
  ),
  if_needed: Type.Optional(
    perDay(Lists, {
      description: "Per day, one list per cell: who can make it only with their if-needed time (present when someone has any)",
    }),
  ),
});
export type AvailabilityHeatmap = Static<typeof AvailabilityHeatmap>;

/** Answer of `GET /availability/heatmap` with `from`: one heatmap per date of the window, in the display zone. */
export const DatedHeatmap = Type.Object({
  users: GroupUsers,
  ...WindowBounds,
  step: Type.Integer({ description: "Minutes per cell" }),
  dates: Type.Array(
    Type.Object({
      date: CalendarDate,
      day: Day,
      start: Type.Unsafe<string>({ ...Instant, description: "The date's first instant (midnight in `tz`)" }),
      ...HeatmapDay,
    }),
    {
      description:
        "Cells are wall-clock time in `tz`: one that does not occur that day (a DST gap) has no one. " +
        "`if_needed_slots` and `if_needed` are present when someone in the group has if-needed time",
    },
  ),
});
export type DatedHeatmap = Static<typeof DatedHeatmap>;
