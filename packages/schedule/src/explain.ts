/**
 * Why a group has the windows it has, on one board: how many fit, who alone blocks the others, and when
 * nothing fits, the smallest changes that would make something fit. Every count is of windows the
 * suggestion functions would offer with the change applied (same grid, same rules).
 */
import { MIN_GROUP } from "@w2meet/contracts";
import { type Bits, hasBit } from "./bits.ts";
import type { Board } from "./calendar.ts";
import { type Count, countWindows, hourlyOf, reachOf, roomOf, type Rules, runLengths, tally } from "./fit.ts";
import type { Placed } from "./place.ts";
import { firstOffHour, onTheHour } from "./rank.ts";

/** At most this many changes of each kind are offered, the smallest first. */
const RELAXATIONS_PER_KIND = 5;

/** A member, by index, and the windows a change of theirs would make fit. */
type MemberChange = { member: number; count: Count };

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
  const withMember = (p: number, lengths: Uint8Array | null, onHourNow: boolean): Count => {
    const others = reach.onHour.every((on, o) => o === p || on);
    const must = rules.required[p] === true;
    return countWindows(board, hourlyOf(q, [others, onHourNow]), (i) => {
      const before = attends(p, i) ? 1 : 0;
      const after = lengths !== null && lengths[i]! >= q ? 1 : 0;
      const required = t.requiredIn[i]! + (must ? after - before : 0);
      const min = lengths === null ? Math.min(rules.min, members.length - 1) : rules.min;
      return required === t.requiredCount && t.attendees[i]! - before + after >= min;
    });
  };

  return {
    ...none,
    shorter: shorterMeetings(group, reach.lengths, reach.onHour),
    fewer: fewerAttendees(group, hourly, t, attends),
    drop:
      members.length - 1 < MIN_GROUP
        ? []
        : best(members.map((_, p) => (rules.required[p] ? null : { member: p, count: withMember(p, null, true) }))),
    ifNeeded: best(
      group.withIfNeeded.map((tiers, p) =>
        tiers ? { member: p, count: withMember(p, runLengths(board, tiers.reach), onTheHour(board, [tiers.free, tiers.reach])) } : null,
      ),
    ),
    block: freeBlocks(group, t, attends, room, withMember),
  };
}

/** The changes that open something, most windows first, at most RELAXATIONS_PER_KIND. */
const best = (changes: readonly (MemberChange | null)[]): MemberChange[] =>
  changes
    .filter((c): c is MemberChange => c !== null && c.count.slots > 0)
    .sort((a, b) => b.count.slots - a.count.slots || a.member - b.member)
    .slice(0, RELAXATIONS_PER_KIND);

/** The longest shorter meetings that fit, longest first: at each quarter, the longest meeting the rules allow from it. */
function shorterMeetings(group: Group, lengths: readonly Uint8Array[], onHour: readonly boolean[]): BoardExplanation["shorter"] {
  const { board, rules } = group;
  const longest = new Uint8Array(board.length);
  const counts = new Uint16Array(256);
  for (let i = 0; i < board.length; i++) {
    counts.fill(0);
    let required = 255;
    lengths.forEach((mine, p) => {
      counts[mine[i]!]!++;
      if (rules.required[p]) required = Math.min(required, mine[i]!);
    });
    // The longest meeting at least `min` members can make: the min-th longest run.
    let reached = 0;
    let v = 255;
    for (; v > 0; v--) {
      reached += counts[v]!;
      if (reached >= rules.min) break;
    }
    longest[i] = Math.min(v, required);
  }
  const out: BoardExplanation["shorter"] = [];
  for (let quarters = rules.quarters - 1; quarters >= 1 && out.length < RELAXATIONS_PER_KIND; quarters--) {
    const count = countWindows(board, hourlyOf(quarters, onHour), (i) => longest[i]! >= quarters);
    if (count.slots > 0) out.push({ quarters, count });
  }
  return out;
}

/** Lower `min_attendees` values, each with the sets of members who would miss the windows it opens. */
function fewerAttendees(
  group: Group,
  hourly: boolean,
  t: ReturnType<typeof tally>,
  attends: (p: number, i: number) => boolean,
): BoardExplanation["fewer"] {
  const { board, members, rules } = group;
  const floor = Math.max(MIN_GROUP, 1);
  const byMin = new Map<number, Map<string, { missing: number[]; count: Count }>>();
  countWindows(board, hourly, (i) => {
    const attendees = t.attendees[i]!;
    if (t.requiredIn[i] !== t.requiredCount || attendees >= rules.min || attendees < floor) return false;
    const missing = members.flatMap((_, p) => (attends(p, i) ? [] : [p]));
    const key = missing.join(",");
    const sets = byMin.get(attendees) ?? new Map<string, { missing: number[]; count: Count }>();
    byMin.set(attendees, sets);
    const found = sets.get(key);
    if (found) found.count.slots++;
    else sets.set(key, { missing, count: { slots: 1, first: i } });
    return false;
  });
  const out: BoardExplanation["fewer"] = [];
  for (const min of [...byMin.keys()].sort((a, b) => b - a)) {
    const sets = [...byMin.get(min)!.values()].sort((a, b) => b.count.slots - a.count.slots || a.count.first - b.count.first);
    for (const set of sets) {
      if (out.length === RELAXATIONS_PER_KIND) return out;
      out.push({ min, ...set });
    }
  }
  return out;
}

// Blocks tried per member before giving up on them: only a block that changes the grid can fail to open its window.
const MAX_BLOCK_TRIES = 64;

/** Per member, the shortest block of a day they could free to open a window (the earliest of equals). */
function freeBlocks(
  group: Group,
  t: ReturnType<typeof tally>,
  attends: (p: number, i: number) => boolean,
  room: Uint8Array,
  withMember: (p: number, lengths: Uint8Array, onHour: boolean) => Count,
): BoardExplanation["block"] {
  const { board, members, rules } = group;
  const q = rules.quarters;
  const found: BoardExplanation["block"] = [];
  members.forEach((member, p) => {
    const must = rules.required[p] === true;
    const gaps = gapsOf(board.length, member.reach);
    // Windows only this member is missing from, and the span of their missing quarters in each.
    const candidates: { start: number; end: number }[] = [];
    for (let i = 0; i < board.length; i++) {
      if (room[i]! < q || attends(p, i)) continue;
      if (t.requiredIn[i]! + (must ? 1 : 0) !== t.requiredCount || t.attendees[i]! + 1 < rules.min) continue;
      candidates.push({ start: gaps.next[i]!, end: gaps.previous[i + q - 1]! + 1 });
    }
    candidates.sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
    // A block can change which starts are on the grid (hour starts only, or any quarter): it opens a
    // window only if the count with it says so, so the shortest that does is searched in order.
    const seen = new Set<string>();
    for (const block of candidates) {
      const key = `${block.start}-${block.end}`;
      if (seen.has(key)) continue;
      if (seen.size === MAX_BLOCK_TRIES) return;
      seen.add(key);
      const free = widened(member.free, block.start, block.end);
      const reach = member.reach === member.free ? free : widened(member.reach, block.start, block.end);
      const count = withMember(p, runLengths(board, reach), onTheHour(board, [free, reach]));
      if (count.slots > 0) {
        found.push({ member: p, ...block, count });
        return;
      }
    }
  });
  return found
    .sort((a, b) => a.end - a.start - (b.end - b.start) || b.count.slots - a.count.slots || a.member - b.member)
    .slice(0, RELAXATIONS_PER_KIND);
}

/** For each quarter, the next quarter from it and the last one up to it that `bits` leave clear. */
function gapsOf(length: number, bits: Bits): { next: Int32Array; previous: Int32Array } {
  const next = new Int32Array(length);
  const previous = new Int32Array(length);
  let last = -1;
  for (let i = 0; i < length; i++) {
    if (!hasBit(bits, i)) last = i;
    previous[i] = last;
  }
  last = length;
  for (let i = length - 1; i >= 0; i--) {
    if (!hasBit(bits, i)) last = i;
    next[i] = last;
  }
  return { next, previous };
}

function widened(bits: Bits, start: number, end: number): Bits {
  const out = bits.slice();
  for (let i = start; i < end; i++) out[i >>> 5]! |= 1 << (i & 31);
  return out;
}

/**
 * Longer windows of the same start: `group.board` is the longest (a calendar of whole days), and each
 * number of its first days above `days` that adds fitting windows is offered, the fewest first.
 */
export function longerWindows(group: Group, days: number): { days: number; count: Count }[] {
  const { board, members, rules } = group;
  const reach = reachOf(board, members);
  const t = tally(reach, rules);
  const q = rules.quarters;
  // Meetings start on the hour while everyone's time up to the window's end is on the hour.
  const offHour = firstOffHour(
    board,
    members.flatMap((m) => [m.free, m.reach]),
  );
  const fits = (i: number) => t.requiredIn[i] === t.requiredCount && t.attendees[i]! >= rules.min;
  const out: { days: number; count: Count }[] = [];
  let before = 0;
  for (let k = days + 1; k <= board.days.length && out.length < RELAXATIONS_PER_KIND; k++) {
    const end = board.days[k - 1]!.end;
    const hourly = q % 4 === 0 && offHour >= end;
    const count = countWindows({ ...board, length: end }, hourly, fits);
    if (count.slots > before) out.push({ days: k, count });
    before = count.slots;
  }
  return out;
}
