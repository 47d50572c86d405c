import { DAYS, FULL_DAY, emptyMask, type Day, type WeekMask } from "./week.ts";

/** A run of consecutive free hours within one day: hours `start` up to, not including, `end`. */
export type Interval = { day: Day; start: number; end: number };

/** Hours at which everyone is free: the AND of all masks. No masks means no common hours. */
export function commonFreeHours(masks: readonly WeekMask[]): WeekMask {
  const common = emptyMask();
  const first = masks[0];
  if (first === undefined) return common;
  common.set(first.subarray(0, DAYS.length));
  for (let i = 1; i < masks.length; i++) {
    const mask = masks[i]!;
    for (let d = 0; d < DAYS.length; d++) common[d] = common[d]! & (mask[d] ?? 0);
  }
  return common;
}

/**
 * Merges consecutive free hours into intervals, days in order, earliest first.
 * Intervals never cross midnight: Sunday 23 and Monday 0 stay apart.
 */
export function freeIntervals(mask: WeekMask): Interval[] {
  const intervals: Interval[] = [];
  for (let d = 0; d < DAYS.length; d++) {
    const day = DAYS[d]!;
    let bits = (mask[d] ?? 0) & FULL_DAY;
    while (bits !== 0) {
      const start = 31 - Math.clz32(bits & -bits);
      // The first zero bit above `start` ends the run; bit 24 is always zero, so a run stops at midnight.
      const gaps = ~(bits >>> start);
      const end = start + 31 - Math.clz32(gaps & -gaps);
      intervals.push({ day, start, end });
      bits &= -(1 << end);
    }
  }
  return intervals;
}
