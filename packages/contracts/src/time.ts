// Schemas of real time: time zones, calendar dates, and the window a dated query looks at.
import { Type, type Static } from "@sinclair/typebox";
import { QueryInteger } from "./query.ts";
import { Day } from "./week.ts";

/** The zone everyone is in until they say otherwise, and the display zone of a query without `tz`. */
export const DEFAULT_TIME_ZONE = "UTC";

/** An IANA time zone name, checked against the zone database (the `time-zone` format, registered by the kit). */
export const TimeZone = Type.String({
  format: "time-zone",
  minLength: 1,
  maxLength: 64,
  description: "IANA time zone name, e.g. Europe/Berlin; UTC when absent",
  examples: ["Europe/Berlin"],
});

/**
 * A time zone as answered: a name the system checked when it was given. Answers do not check it against the
 * zone database again, which would load the runtime's time zone data into every service that only passes
 * names on.
 */
export const ZoneName = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "IANA time zone name, e.g. Europe/Berlin",
  examples: ["Europe/Berlin"],
});

/** A calendar date, `YYYY-MM-DD`. */
export const CalendarDate = Type.String({ format: "date", description: "YYYY-MM-DD", examples: ["2026-11-23"] });

/** An instant as answered: ISO 8601 with the offset of the zone it is shown in. */
export const Instant = Type.String({ format: "date-time", examples: ["2026-11-23T09:00:00+01:00"] });

/** Dated queries look at most this many days, and this many by default. */
export const MAX_WINDOW_DAYS = 28;
export const DEFAULT_WINDOW_DAYS = 7;

/** The optional window of a common availability, heatmap or suggestions query. */
export const WindowQuery = Type.Object({
  from: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        "A date (from its midnight in `tz`) or an ISO 8601 instant with an offset: the answer is about real, dated " +
        "slots from there. Absent: the weekday form, computed for the coming week in `tz`",
      examples: ["2026-11-23", "2026-11-23T14:00:00Z"],
    }),
  ),
  days: Type.Optional(
    QueryInteger({
      minimum: 1,
      maximum: MAX_WINDOW_DAYS,
      default: DEFAULT_WINDOW_DAYS,
      description: "How many days in `tz` the window covers, counting the day of `from`",
    }),
  ),
  tz: Type.Optional(
    Type.String({ ...TimeZone, description: "Display zone: dates, weekdays and hours of the answer are in it; UTC when absent" }),
  ),
});
export type WindowQuery = Static<typeof WindowQuery>;

/** Hours of a day in the display zone, on the 15-minute grid: 9.5 is 09:30, 24 is the midnight ending the day. */
export const DayHour = Type.Number({ minimum: 0, maximum: 24, multipleOf: 0.25 });

/** Where a dated slot lies: its instants, and its date, weekday and hours in the display zone. */
export const DatedPlace = {
  date: CalendarDate,
  day: Day,
  start: Instant,
  end: Instant,
  slot: Type.Tuple([DayHour, DayHour], { description: "[start hour, end hour] in the display zone; 9.5 is 09:30" }),
};
