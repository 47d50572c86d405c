import { DAYS, FULL_DAY, HOURS_PER_DAY, windowStarts, type WeekMask } from "./week.ts";

/** How to order meeting windows: earliest in the week, latest in the week, or at random. */
export type Preference = "first" | "last" | "random";

/** A window (day d, start hour s) encoded as d * 24 + s, so ascending keys are week order. */
export type WindowKey = number;

/** Number of possible window keys: one per hour of the week. */
export const WINDOW_KEYS = DAYS.length * HOURS_PER_DAY;

/**
 * The windows of `duration` hours that at least `minAttendees` people can attend,
 * grouped by attendee count (most attendees first), each group in week order.
 * When everyone must attend there is one group, read straight off the common free hours of each day.
 */
export function qualifyingWindows(people: readonly { mask: WeekMask }[], duration: number, minAttendees: number): WindowKey[][] {
  if (minAttendees >= people.length) {
    const keys: WindowKey[] = [];
    for (let d = 0; d < DAYS.length; d++) {
      let common = FULL_DAY;
      for (let i = 0; i < people.length && common !== 0; i++) common &= people[i]!.mask[d] ?? 0;
      pushStarts(keys, d, windowStarts(common, duration));
    }
    return keys.length === 0 ? [] : [keys];
  }

  const counts = new Uint32Array(WINDOW_KEYS);
  for (const person of people) {
    for (let d = 0; d < DAYS.length; d++) {
      let starts = windowStarts(person.mask[d] ?? 0, duration);
      while (starts !== 0) {
        const lowest = starts & -starts;
        counts[d * HOURS_PER_DAY + 31 - Math.clz32(lowest)]!++;
        starts ^= lowest;
      }
    }
  }
  // Bucket b holds windows with people.length - b attendees, so buckets come out most attendees first.
  const buckets: WindowKey[][] = [];
  for (let b = 0; b <= people.length - minAttendees; b++) buckets.push([]);
  for (let key = 0; key < WINDOW_KEYS; key++) {
    const count = counts[key]!;
    if (count >= minAttendees) buckets[people.length - count]!.push(key);
  }
  return buckets.filter((bucket) => bucket.length > 0);
}

/**
 * Appends to `out`, and marks in `taken`, up to `limit` windows not already in `taken`,
 * in the preference's order: within each group, `first` walks week order, `last` walks it backwards,
 * and `random` walks a Fisher–Yates shuffle of the group driven by `random`.
 * Shuffles are done lazily, position by position, so stopping early draws no more numbers than needed
 * and the answer equals the prefix of the fully shuffled ranking.
 */
export function pickWindows(
  groups: readonly (readonly WindowKey[])[],
  preference: Preference,
  limit: number,
  taken: Uint8Array,
  random: () => number,
  out: WindowKey[],
): void {
  let picked = 0;
  const take = (key: WindowKey): boolean => {
    if (taken[key] === 0) {
      taken[key] = 1;
      out.push(key);
      picked++;
    }
    return picked >= limit;
  };
  for (const group of groups) {
    if (preference === "first") {
      for (let i = 0; i < group.length; i++) if (take(group[i]!)) return;
    } else if (preference === "last") {
      for (let i = group.length - 1; i >= 0; i--) if (take(group[i]!)) return;
    } else {
      const shuffled = group.slice();
      for (let i = 0; i < shuffled.length; i++) {
        if (i < shuffled.length - 1) {
          const j = i + Math.floor(random() * (shuffled.length - i));
          const chosen = shuffled[j]!;
          shuffled[j] = shuffled[i]!;
          shuffled[i] = chosen;
        }
        if (take(shuffled[i]!)) return;
      }
    }
  }
}

function pushStarts(keys: WindowKey[], day: number, starts: number): void {
  let bits = starts;
  while (bits !== 0) {
    const lowest = bits & -bits;
    keys.push(day * HOURS_PER_DAY + 31 - Math.clz32(lowest));
    bits ^= lowest;
  }
}
