import { andAll, type Bits, clearRange, forEachBit, runStarts } from "./bits.ts";
import type { Board } from "./calendar.ts";
import type { Placed } from "./place.ts";

/** How to order meeting windows: earliest, latest, or at random. */
export type Preference = "first" | "last" | "random";

/** A window is named by the board quarter it starts at, so ascending keys are time order. */
export type WindowKey = number;

/**
 * Starts of every `duration`-quarter window within one day of the board where `bits` are all set; with
 * `hourly`, only those on the hour.
 */
export function windowStarts(board: Board, bits: Bits, duration: number, hourly = false): Bits {
  const starts = runStarts(bits, duration);
  if (hourly) for (let w = 0; w < starts.length; w++) starts[w]! &= board.hours[w]!;
  // A window from the last duration - 1 quarters of a day would run into the next one.
  for (const day of board.days) clearRange(starts, Math.max(day.start, day.end - duration + 1), day.end);
  return starts;
}

// Without if-needed time both tiers are the one set.
const differs = ({ free, reach }: Placed): boolean => {
  if (free === reach) return false;
  for (let w = 0; w < free.length; w++) if (free[w] !== reach[w]) return true;
  return false;
};

/** Running count of a person's if-needed quarters (reach but not free): quarters [a, b) hold `count[b] - count[a]`. */
function ifNeededCount(board: Board, person: Placed): Uint16Array {
  const count = new Uint16Array(board.length + 1);
  for (let i = 0; i < board.length; i++) {
    const w = i >>> 5;
    const extra = ((person.reach[w]! & ~person.free[w]!) >>> (i & 31)) & 1;
    count[i + 1] = count[i]! + extra;
  }
  return count;
}

/**
 * The first quarter where a run of one of the sets begins or ends off the hour of the board; the board's
 * length when every edge is on the hour. Edges at the board's own ends are where the window cuts time,
 * not where anyone's time begins or ends.
 */
export function firstOffHour(board: Board, sets: readonly Bits[]): number {
  // An empty board (a window without one whole quarter hour, e.g. from 23:50 for a day) has no words: -1.
  const lastWord = Math.ceil(board.length / 32) - 1;
  const tail = board.length & 31 ? ((1 << (board.length & 31)) - 1) >>> 0 : 0xffffffff;
  let first = board.length;
  for (const bits of sets) {
    for (let w = 0; w <= lastWord && w * 32 < first; w++) {
      // Bit i of the edges is set where bit i differs from bit i - 1: a run begins or ends there.
      const previous = (bits[w]! << 1) | (w > 0 ? bits[w - 1]! >>> 31 : bits[0]! & 1);
      let edges = (bits[w]! ^ previous) >>> 0;
      if (w === lastWord) edges &= tail;
      const off = (edges & ~board.hours[w]!) >>> 0;
      if (off !== 0) {
        first = Math.min(first, w * 32 + 31 - Math.clz32(off & -off));
        break;
      }
    }
  }
  return first;
}

/** Whether every run of every set begins and ends on the hour of the board. */
export const onTheHour = (board: Board, sets: readonly Bits[]): boolean => firstOffHour(board, sets) >= board.length;

/** Who must come: `required[i]` for `people[i]`. */
export type Required = readonly boolean[];

/**
 * The windows of `duration` quarters that every required person and at least `minAttendees` people in all can
 * make (free or if-needed), grouped best first: every required person on their free time, then most
 * attendees, then fewest if-needed quarters used by the attendees; each group in time order.
 */
export function qualifyingWindows(
  board: Board,
  people: readonly Placed[],
  duration: number,
  minAttendees: number,
  hourly: boolean,
  required: Required = [],
): WindowKey[][] {
  const n = people.length;
  const tiered = people.map(differs);
  const everyone = minAttendees >= n;
  if (everyone && !tiered.includes(true)) {
    // The common case: everyone free at once, and nothing to rank by but time.
    const starts = windowStarts(
      board,
      andAll(
        people.map((p) => p.reach),
        board.length,
      ),
      duration,
      hourly,
    );
    const keys: WindowKey[] = [];
    forEachBit(starts, (key) => keys.push(key), board.length);
    return keys.length === 0 ? [] : [keys];
  }

  const attendees = new Uint16Array(board.length);
  const requiredIn = new Uint16Array(board.length);
  const cost = new Uint32Array(board.length);
  const requiredOnIfNeeded = new Uint8Array(board.length);
  const requiredCount = required.filter(Boolean).length;
  for (let p = 0; p < n; p++) {
    const person = people[p]!;
    const reach = windowStarts(board, person.reach, duration, hourly);
    const count = tiered[p] ? ifNeededCount(board, person) : undefined;
    const must = required[p] === true;
    forEachBit(
      reach,
      (key) => {
        attendees[key]!++;
        if (must) requiredIn[key]!++;
        if (count) {
          const used = count[key + duration]! - count[key]!;
          cost[key]! += used;
          if (must && used > 0) requiredOnIfNeeded[key] = 1;
        }
      },
      board.length,
    );
  }
  // Ascending ranks are best first: [required on if-needed time][people missing][if-needed quarters used].
  const costs = n * duration + 1;
  const buckets = new Map<number, WindowKey[]>();
  for (let key = 0; key < board.length; key++) {
    const count = attendees[key]!;
    if (count < minAttendees || requiredIn[key]! < requiredCount) continue;
    const rank = (requiredOnIfNeeded[key]! * (n + 1) + (n - count)) * costs + cost[key]!;
    const keys = buckets.get(rank);
    if (keys) keys.push(key);
    else buckets.set(rank, [key]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, keys]) => keys);
}

/**
 * Appends to `out`, and marks in `taken`, up to `limit` windows not already in `taken`,
 * in the preference's order: within each group, `first` walks time order, `last` walks it backwards,
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
