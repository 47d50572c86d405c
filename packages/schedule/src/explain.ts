/**
 * Why a group has the windows it has, on one board: how many fit, who alone blocks the others, and when
 * nothing fits, the smallest changes that would make something fit. Every count is of windows the
 * suggestion functions would offer with the change applied (same grid, same rules).
 */
import type { Board } from "./calendar.ts";
import { type Count, countWindows, hourlyOf, reachOf, roomOf, type Rules, runLengths, tally } from "./fit.ts";
import type { Placed } from "./place.ts";
import { onTheHour } from "./rank.ts";
import { best, fewerAttendees, freeBlocks, optionalLeftOut, shorterMeetings } from "./relax.ts";

/** A member, by index, and the windows a change of theirs would make fit. */
export type MemberChange = { member: number; count: Count };

/** What explaining a board finds, in board terms (member indexes, quarters). */
export type BoardExplanation = {
  count: Count;
  /** Members by how many otherwise-fitting windows they alone block, most first; none with zero. */
  blockers: { member: number; slots: number }[];
  /** Shorter meetings that fit, longest first. */
  shorter: { quarters: number; count: Count }[];
  /** Lower `min_attendees`: who would miss the windows it opens, the highest first. */
  fewer: { min: number; missing: number[]; count: Count }[];
  /** One optional member left out. */
  drop: MemberChange[];
  /** One member's if-needed time counted (of those the query left it out for). */
  ifNeeded: MemberChange[];
  /** One member freeing one block of quarters [start, end) of a day, shortest first. */
  block: (MemberChange & { start: number; end: number })[];
};

/** The group as the rules see it: members' tiers, whether each must come, and the if-needed tiers left out. */
export type Group = {
  board: Board;
  members: readonly Placed[];
  rules: Rules;
  /** Per member, their tiers with if-needed time when the query left it out (else null). */
  withIfNeeded: readonly (Placed | null)[];
};

export function explainBoard(group: Group): BoardExplanation {
  const { board, members, rules } = group;
  const reach = reachOf(board, members);
  const q = rules.quarters;
  const hourly = hourlyOf(q, reach.onHour);
  const t = tally(reach, rules);
  const fits = (i: number) => t.requiredIn[i] === t.requiredCount && t.attendees[i]! >= rules.min;
  const count = countWindows(board, hourly, fits);
  const attends = (p: number, i: number) => reach.lengths[p]![i]! >= q;

  const room = roomOf(board);
  const blocked = new Array<number>(members.length).fill(0);
  countWindows(board, hourly, (i) => {
    if (room[i]! < q || fits(i)) return false;
    const requiredMissing = t.requiredCount - t.requiredIn[i]!;
    if (requiredMissing > 1 || t.attendees[i]! + 1 < rules.min) return false;
    // One required member missing: only they can open it. None: it lacks one attendee, any missing one.
    for (let p = 0; p < members.length; p++) {
      if (!attends(p, i) && (requiredMissing === 0 || rules.required[p])) blocked[p]!++;
    }
    return false;
  });
  const blockers = blocked
    .map((slots, member) => ({ member, slots }))
    .filter((b) => b.slots > 0)
    .sort((a, b) => b.slots - a.slots || a.member - b.member);
  const none = { count, blockers, shorter: [], fewer: [], drop: [], ifNeeded: [], block: [] };
  if (count.slots > 0) return none;

  /** Windows that fit when member p's reach is `lengths` and their edges `onHour`, the rest as they are. */
  const withMember = (p: number, lengths: Uint8Array, onHourNow: boolean): Count => {
    const others = reach.onHour.every((on, o) => o === p || on);
    const must = rules.required[p] === true;
    return countWindows(board, hourlyOf(q, [others, onHourNow]), (i) => {
      const before = attends(p, i) ? 1 : 0;
      const after = lengths[i]! >= q ? 1 : 0;
      const required = t.requiredIn[i]! + (must ? after - before : 0);
      return required === t.requiredCount && t.attendees[i]! - before + after >= rules.min;
    });
  };

  return {
    ...none,
    shorter: shorterMeetings(group, reach.lengths, reach.onHour, room),
    fewer: fewerAttendees(group, hourly, t, attends),
    drop: optionalLeftOut(group, t, attends, reach.onHour),
    ifNeeded: best(
      group.withIfNeeded.map((tiers, p) =>
        tiers ? { member: p, count: withMember(p, runLengths(board, tiers.reach), onTheHour(board, [tiers.free, tiers.reach])) } : null,
      ),
    ),
    block: freeBlocks(group, t, reach.lengths, room, withMember),
  };
}
