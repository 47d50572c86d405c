import { andAll, type Bits, forEachBit } from "./bits.ts";
import type { Board } from "./calendar.ts";

/** A run of common free time within one day of a board: quarters [start, end), and the day's index. */
export type Run = { dayIndex: number; start: number; end: number };

/** The time everyone is free: the AND of all sets. No sets means no common time. */
export const commonFree = (sets: readonly Bits[], board: Board): Bits => andAll(sets, board.length);

/** Merges consecutive set quarters into runs, day by day, earliest first; runs never cross a day's end. */
export function runsOf(board: Board, bits: Bits): Run[] {
  const runs: Run[] = [];
  let d = 0;
  let open: Run | undefined;
  forEachBit(
    bits,
    (i) => {
      while (board.days[d]!.end <= i) d++;
      if (open && open.end === i && open.dayIndex === d) open.end = i + 1;
      else {
        open = { dayIndex: d, start: i, end: i + 1 };
        runs.push(open);
      }
    },
    board.length,
  );
  return runs;
}
