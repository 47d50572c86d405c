import { DAYS, type Day, type Week } from "@w2meet/contracts";

// A day's index in DAYS is its index in a WeekMask.
export { DAYS, type Day, type Week };

/** Compact week: 7 day masks, bit h of day d set = free at hour h. Uint32Array of length 7. */
export type WeekMask = Uint32Array;

/** Number of one-hour slots in a day. */
export const HOURS_PER_DAY = 24;

/** Day mask with all 24 hours free. */
export const FULL_DAY = 0xffffff;

/** Returns a week with no free hours. */
export function emptyMask(): WeekMask {
  return new Uint32Array(DAYS.length);
}

/**
 * Packs a week into its mask form.
 * Hours are assumed already validated (integers 0–23); a missing day means no free hours, duplicates are harmless.
 */
export function weekToMask(week: Partial<Record<Day, readonly number[]>>): WeekMask {
  const mask = emptyMask();
  for (let d = 0; d < DAYS.length; d++) {
    const hours = week[DAYS[d]!];
    if (hours === undefined) continue;
    let bits = 0;
    for (const hour of hours) bits |= 1 << hour;
    mask[d] = bits;
  }
  return mask;
}

/** Unpacks a mask into a {@link Week} with all 7 days in order and hours ascending. */
export function maskToWeek(mask: WeekMask): Week {
  const week = {} as Week;
  for (let d = 0; d < DAYS.length; d++) week[DAYS[d]!] = hoursOf(mask[d] ?? 0);
  return week;
}

/** Returns the week with every day present and each day's hours deduplicated and sorted ascending. */
export function normalizeWeek(week: Partial<Record<Day, readonly number[]>>): Week {
  const normalized = {} as Week;
  for (const day of DAYS) {
    normalized[day] = [...new Set(week[day] ?? [])].sort((a, b) => a - b);
  }
  return normalized;
}

/** Lists the hours set in one day mask, ascending. */
function hoursOf(dayMask: number): number[] {
  const hours: number[] = [];
  let bits = dayMask & FULL_DAY;
  while (bits !== 0) {
    const lowest = bits & -bits;
    hours.push(31 - Math.clz32(lowest));
    bits ^= lowest;
  }
  return hours;
}

/** Mask of the `duration` consecutive hours beginning at `start` within one day. */
export function hoursMask(start: number, duration: number): number {
  return (((1 << duration) - 1) << start) >>> 0;
}

/**
 * Start hours, as a day mask, of every run of `duration` consecutive free hours in `dayMask`.
 * Only starts with start + duration <= 24 can appear, since hours past 23 are never free.
 */
export function windowStarts(dayMask: number, duration: number): number {
  let starts = dayMask & FULL_DAY;
  // Doubling: after each step bit s means hours s..s+covered-1 are all free, so 24 hours take 5 steps, not 23.
  let covered = 1;
  while (covered < duration && starts !== 0) {
    const step = Math.min(covered, duration - covered);
    starts &= starts >>> step;
    covered += step;
  }
  return starts;
}
