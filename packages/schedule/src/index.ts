/**
 * @w2meet/schedule — the scheduling domain: weeks of free hours, their overlap, heatmaps and meeting suggestions.
 * Pure functions, no I/O.
 */
export { DAYS, maskToWeek, normalizeWeek, weekToMask, type Day, type Week, type WeekMask } from "./week.ts";
export { commonFreeHours, freeIntervals, type Interval } from "./common.ts";
export { heatmap, type Heatmap } from "./heatmap.ts";
export type { Preference } from "./rank.ts";
export { suggestSlots, type Member, type SuggestOptions, type Suggestion } from "./suggest.ts";
export { seededRandom } from "./random.ts";
