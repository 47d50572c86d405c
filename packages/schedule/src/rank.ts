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
function windowStarts(board: Board, bits: Bits, duration: number, hourly = false): Bits {
  const starts = runStarts(bits, duration);
  if (hourly) for (let w = 0; w < starts.length; w++) starts[w]! &= board.hours[w]!;
  // A window from the last duration - 1 quarters of a day would run into the next one.
  for (const day of board.days) clearRange(starts, Math.max(day.start, day.end - duration + 1), day.end);
  return starts;
}

const differs = (person: Placed): boolean => person.free.some((word, w) => word !== person.reach[w]);

/** Whether every run of every set begins and ends on the hour of the board. */
export function onTheHour(board: Board, sets: readonly Bits[]): boolean {
  // An empty board (a window without one whole quarter hour, e.g. from 23:50 for a day) has no words: -1.
  const lastWord = Math.ceil(board.length / 32) - 1;
  // Edges at the board's own ends are where the window cuts time, not where anyone's time begins or ends.
  const tail = board.length & 31 ? ((1 << (board.length & 31)) - 1) >>> 0 : 0xffffffff;
  for (const bits of sets) {
    for (let w = 0; w <= lastWord; w++) {
      // Bit i of the edges is set where bit i differs from bit i - 1: a run begins or ends there.
      const previous = (bits[w]! << 1) | (w > 0 ? bits[w - 1]! >>> 31 : bits[0]! & 1);
      let edges = (bits[w]! ^ previous) >>> 0;
      if (w === lastWord) edges &= tail;
      if ((edges & ~board.hours[w]!) >>> 0 !== 0) return false;
    }
  }
  return true;
}

/**
 * The windows of `duration` quarters that at least `minAttendees` people can make (free or if-needed),
 * grouped best first: most attendees, then fewest attendees using if-needed time; each group in time order.
 */
export function qualifyingWindows(
  board: Board,
  people: readonly Placed[],
  duration: number,
  minAttendees: number,
  hourly: boolean,
): WindowKey[][] {
  const n = people.length;
  const tiered = people.filter(differs);
  if (minAttendees >= n) {
    const reachStarts = windowStarts(
      board,
      andAll(
        people.map((p) => p.reach),
        board.length,
      ),
      duration,
      hourly,
    );
    if (tiered.length === 0) {
      const keys: WindowKey[] = [];
      forEachBit(reachStarts, (key) => keys.push(key), board.length);
      return keys.length === 0 ? [] : [keys];
    }
    const ifNeeded = new Uint8Array(board.length);
    for (const person of tiered) {
      const free = windowStarts(board, person.free, duration, hourly);
      forEachBit(reachStarts, (key) => {
        if (((free[key >>> 5]! >>> (key & 31)) & 1) === 0) ifNeeded[key]!++;
      });
    }
    const buckets: WindowKey[][] = Array.from({ length: tiered.length + 1 }, () => []);
    forEachBit(reachStarts, (key) => buckets[ifNeeded[key]!]!.push(key), board.length);
    return buckets.filter((bucket) => bucket.length > 0);
  }

  const attendees = new Uint16Array(board.length);
  const ifNeeded = new Uint16Array(board.length);
  for (const person of people) {
    const reach = windowStarts(board, person.reach, duration, hourly);
    forEachBit(reach, (key) => attendees[key]!++, board.length);
    if (differs(person)) {
      const free = windowStarts(board, person.free, duration, hourly);
      forEachBit(reach, (key) => {
        if (((free[key >>> 5]! >>> (key & 31)) & 1) === 0) ifNeeded[key]!++;
      });
    }
  }
  // Bucket (n - attendees) * (n + 1) + if-needed: ascending buckets are best first.
  const buckets = new Map<number, WindowKey[]>();
  for (let key = 0; key < board.length; key++) {
    const count = attendees[key]!;
    if (count < minAttendees) continue;
    const bucket = (n - count) * (n + 1) + ifNeeded[key]!;
    const keys = buckets.get(bucket);
    if (keys) keys.push(key);
    else buckets.set(bucket, [key]);
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
