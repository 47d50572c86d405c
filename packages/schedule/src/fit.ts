/**
 * Which windows of a board fit a group, counted fast enough to try many changes to the group: each person's
 * free time as run lengths (quarters free from each quarter on, cut at the day's end), so "can this person
 * make a window of d quarters from i" is one comparison, whatever d is.
 */
import { type Bits, hasBit } from "./bits.ts";
import type { Board } from "./calendar.ts";
import { onTheHour } from "./rank.ts";

/** Quarters of `bits` set from each quarter on, without crossing the end of its day. */
export function runLengths(board: Board, bits: Bits): Uint8Array {
  const lengths = new Uint8Array(board.length);
  for (const day of board.days) {
    let run = 0;
    for (let i = day.end - 1; i >= day.start; i--) {
      const word = bits[i >>> 5]!;
      // A clear word within the day: 32 quarters of nothing, left at zero.
      if (word === 0 && (i & 31) === 31 && i - 31 >= day.start) {
        run = 0;
        i -= 31;
        continue;
      }
      run = (word >>> (i & 31)) & 1 ? run + 1 : 0;
      lengths[i] = run;
    }
  }
  return lengths;
}

/** Quarters left in each quarter's day, counting it: a window of d quarters from i lies within its day when d ≤ room[i]. */
export function roomOf(board: Board): Uint8Array {
  const room = new Uint8Array(board.length);
  for (const day of board.days) for (let i = day.start; i < day.end; i++) room[i] = day.end - i;
  return room;
}

/** The rules a window must meet: its length, how many must come, who must come. */
export type Rules = { quarters: number; min: number; required: readonly boolean[] };

/** A group on a board, ready for counting: who can make how long from where, and whose edges are on the hour. */
export type Reach = {
  board: Board;
  /** Per member: their reach (free or if-needed) as run lengths. */
  lengths: Uint8Array[];
  /** Per member: whether both their tiers begin and end on the hour only. */
  onHour: boolean[];
};

export const reachOf = (board: Board, people: readonly { free: Bits; reach: Bits }[]): Reach => ({
  board,
  lengths: people.map((p) => runLengths(board, p.reach)),
  onHour: people.map((p) => onTheHour(board, [p.free, p.reach])),
});

/** Whether meetings start on the hour only: whole hours long, and everyone's time on the hour (as `pickSlots` does). */
export const hourlyOf = (quarters: number, onHour: readonly boolean[]): boolean => quarters % 4 === 0 && onHour.every(Boolean);

/** How many come to each window of the rules' length, and how many of them are required. */
export type Tally = { attendees: Uint16Array; requiredIn: Uint16Array; requiredCount: number };

export function tally(reach: Reach, rules: Rules): Tally {
  const { length } = reach.board;
  const attendees = new Uint16Array(length);
  const requiredIn = new Uint16Array(length);
  reach.lengths.forEach((lengths, p) => {
    const must = rules.required[p] === true;
    for (let i = 0; i < length; i++) {
      if (lengths[i]! >= rules.quarters) {
        attendees[i]!++;
        if (must) requiredIn[i]!++;
      }
    }
  });
  return { attendees, requiredIn, requiredCount: rules.required.filter(Boolean).length };
}

/** How many windows fit, and the earliest (-1 when none). */
export type Count = { slots: number; first: number };

/** Counts the windows from which `fits` holds, on the hour only when `hourly`. */
export function countWindows(board: Board, hourly: boolean, fits: (i: number) => boolean): Count {
  let slots = 0;
  let first = -1;
  for (let i = 0; i < board.length; i++) {
    if (hourly && !hasBit(board.hours, i)) continue;
    if (fits(i)) {
      slots++;
      if (first < 0) first = i;
    }
  }
  return { slots, first };
}
