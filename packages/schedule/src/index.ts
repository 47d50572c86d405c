/**
 * @w2meet/schedule — the scheduling domain: weekly patterns on a 15-minute grid in each person's time zone,
 * dated exceptions, if-needed time, and the group answers built on them (common time, heatmaps, ranked
 * meeting suggestions), in the weekday form and at real instants. Pure functions, no I/O.
 */
export {
  DAYS,
  daySlotErrors,
  maskToWeek,
  normalizeDay,
  normalizeWeek,
  QUARTER_MS,
  weekToMask,
  type Day,
  type Week,
} from "./pattern.ts";
export { calendarOf, comingWeek, type Calendar } from "./calendar.ts";
export {
  commonDated,
  commonWeekly,
  heatmapDated,
  heatmapWeekly,
  personOf,
  suggestDated,
  suggestWeekly,
  type MeetingOptions,
  type PersonInput,
} from "./group.ts";
export type { HeatmapDay } from "./heatmap.ts";
export { readAssumption, writeAssumption, type Assumption } from "./assume.ts";
export { explainDated, explainWeekly, type Explanation } from "./explanation.ts";
export type { Preference } from "./rank.ts";
export { seededRandom } from "./random.ts";
export { readWindow, isCalendarDate, type Window } from "./window.ts";
export { canonicalZone, dateOf, dayNumber, isoIn, isTimeZone, localDay, offsetAt } from "./zone.ts";
