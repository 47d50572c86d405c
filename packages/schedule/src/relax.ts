/**
 * The kinds of change that could open a window for a group with none, each counted as the suggestion
 * functions would count it with the change applied (same grid, same rules), at most five of each kind.
 */
import { MIN_GROUP } from "@w2meet/contracts";
import { andAll, type Bits, forEachBit, hasBit } from "./bits.ts";
import type { BoardExplanation, Group, MemberChange } from "./explain.ts";
import { type Count, countWindows, hourlyOf, runLengths, type Tally } from "./fit.ts";
import { firstOffHour, onTheHour, windowStarts } from "./rank.ts";

/** At most this many changes of each kind are offered, the smallest first. */
const RELAXATIONS_PER_KIND = 5;

/** The changes that open something, most windows first, at most RELAXATIONS_PER_KIND. */
export const best = (changes: readonly (MemberChange | null)[]): MemberChange[] =>
  changes
    .filter((c): c is MemberChange => c !== null && c.count.slots > 0)
    .sort((a, b) => b.count.slots - a.count.slots || a.member - b.member)
    .slice(0, RELAXATIONS_PER_KIND);

/** The longest shorter meetings that fit, longest first: at each quarter, the longest meeting the rules allow from it. */
export function shorterMeetings(
  group: Group,
  lengths: readonly Uint8Array[],
  onHour: readonly boolean[],
  room: Uint8Array,
): BoardExplanation["shorter"] {
  const { board, rules } = group;
  const longest = new Uint8Array(board.length);
  const counts = new Uint16Array(256);
  for (let i = 0; i < board.length; i++) {
    counts.fill(0, 0, room[i]! + 1);
    let required = 255;
    for (let p = 0; p < lengths.length; p++) {
      const length = lengths[p]![i]!;
      counts[length]!++;
      if (rules.required[p] && length < required) required = length;
    }
    // The longest meeting at least `min` members can make: the min-th longest run.
    let reached = 0;
    let v = room[i]!;
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

/**
 * Lower `min_attendees` values, each with the sets of members who would miss the windows it opens: the
 * highest value first, its windows grouped by who misses them, and lower values only while fewer than five
 * sets are found.
 */
export function fewerAttendees(
  group: Group,
  hourly: boolean,
  t: Tally,
  attends: (p: number, i: number) => boolean,
): BoardExplanation["fewer"] {
  const { board, members, rules } = group;
  // Windows by how many can come (every required member among them), below the minimum.
  const byCount = new Map<number, number[]>();
  countWindows(board, hourly, (i) => {
    const attendees = t.attendees[i]!;
    if (t.requiredIn[i] !== t.requiredCount || attendees >= rules.min || attendees < MIN_GROUP) return false;
    const windows = byCount.get(attendees);
    if (windows) windows.push(i);
    else byCount.set(attendees, [i]);
    return false;
  });
  const out: BoardExplanation["fewer"] = [];
  for (const min of [...byCount.keys()].sort((a, b) => b - a)) {
    const sets = new Map<string, { missing: number[]; count: Count }>();
    for (const i of byCount.get(min)!) {
      const missing = members.flatMap((_, p) => (attends(p, i) ? [] : [p]));
      const key = missing.join(",");
      const found = sets.get(key);
      if (found) found.count.slots++;
      else sets.set(key, { missing, count: { slots: 1, first: i } });
    }
    const ranked = [...sets.values()].sort((a, b) => b.count.slots - a.count.slots || a.count.first - b.count.first);
    for (const set of ranked) {
      if (out.length === RELAXATIONS_PER_KIND) return out;
      out.push({ min, ...set });
    }
  }
  return out;
}

/**
 * One optional member left out, each with the windows it opens. Leaving someone out keeps `min_attendees`
 * unless it was everyone, so only then can it open anything: the windows all but one can make, that one
 * optional. Without them the grid may turn to whole hours, so windows are counted both ways.
 */
export function optionalLeftOut(group: Group, t: Tally, attends: (p: number, i: number) => boolean, onHour: readonly boolean[]) {
  const { board, members, rules } = group;
  const n = members.length;
  if (n - 1 < MIN_GROUP || rules.min < n) return [];
  const anyStart = members.map(() => ({ slots: 0, first: -1 }));
  const hourStart = members.map(() => ({ slots: 0, first: -1 }));
  countWindows(board, false, (i) => {
    if (t.attendees[i] !== n - 1 || t.requiredIn[i] !== t.requiredCount) return false;
    let p = 0;
    while (attends(p, i)) p++;
    if (rules.required[p]) return false;
    for (const count of hasBit(board.hours, i) ? [anyStart[p]!, hourStart[p]!] : [anyStart[p]!]) {
      count.slots++;
      if (count.first < 0) count.first = i;
    }
    return false;
  });
  const offHour = onHour.filter((on) => !on).length;
  return best(
    members.map((_, p) => {
      const hourly = rules.quarters % 4 === 0 && offHour - (onHour[p] ? 0 : 1) === 0;
      return { member: p, count: hourly ? hourStart[p]! : anyStart[p]! };
    }),
  );
}

// Blocks tried per member before giving up on them: only a block that changes the grid can fail to open its window.
const MAX_BLOCK_TRIES = 64;

/**
 * Per member, the shortest block of a day they could free to open a window (the earliest of equals). The
 * candidates are the windows only they are missing from, each needing the span of their missing quarters;
 * members are tried shortest candidate first, and only until five are found that no later one could beat.
 */
export function freeBlocks(
  group: Group,
  t: Tally,
  lengths: readonly Uint8Array[],
  room: Uint8Array,
  withMember: (p: number, lengths: Uint8Array, onHour: boolean) => Count,
): BoardExplanation["block"] {
  const { board, members, rules } = group;
  const q = rules.quarters;
  const candidatesOf = members.map((member, p) => {
    const must = rules.required[p] === true;
    const mine = lengths[p]!;
    const candidates: { start: number; end: number }[] = [];
    for (let i = 0; i < board.length; i++) {
      if (room[i]! < q || mine[i]! >= q) continue;
      if (t.requiredIn[i]! + (must ? 1 : 0) !== t.requiredCount || t.attendees[i]! + 1 < rules.min) continue;
      // Their time from i runs out at i + mine[i], inside the window; the last gap is found from its end.
      let end = i + q;
      while (hasBit(member.reach, end - 1)) end--;
      candidates.push({ start: i + mine[i]!, end });
    }
    return candidates.sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
  });
  const order = members.map((_, p) => p).filter((p) => candidatesOf[p]!.length > 0);
  const shortest = (p: number) => candidatesOf[p]![0]!.end - candidatesOf[p]![0]!.start;
  order.sort((a, b) => shortest(a) - shortest(b) || a - b);

  const found: BoardExplanation["block"] = [];
  const fifth = () => {
    if (found.length < RELAXATIONS_PER_KIND) return Number.POSITIVE_INFINITY;
    return found.map((b) => b.end - b.start).sort((a, b) => a - b)[RELAXATIONS_PER_KIND - 1]!;
  };
  for (const p of order) {
    if (shortest(p) > fifth()) break;
    const member = members[p]!;
    // A block can change which starts are on the grid (hour starts only, or any quarter): it opens a
    // window only if the count with it says so, so the shortest that does is searched in order.
    const seen = new Set<string>();
    for (const block of candidatesOf[p]!) {
      const key = `${block.start}-${block.end}`;
      if (seen.has(key)) continue;
      if (seen.size === MAX_BLOCK_TRIES) break;
      seen.add(key);
      const free = widened(member.free, block.start, block.end);
      const reach = member.reach === member.free ? free : widened(member.reach, block.start, block.end);
      const count = withMember(p, runLengths(board, reach), onTheHour(board, [free, reach]));
      if (count.slots > 0) {
        found.push({ member: p, ...block, count });
        break;
      }
    }
  }
  return found
    .sort((a, b) => a.end - a.start - (b.end - b.start) || b.count.slots - a.count.slots || a.member - b.member)
    .slice(0, RELAXATIONS_PER_KIND);
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
  const q = rules.quarters;
  // Meetings start on the hour while everyone's time up to the window's end is on the hour.
  const offHour = firstOffHour(
    board,
    members.flatMap((m) => [m.free, m.reach]),
  );
  let fits: (i: number) => boolean;
  if (rules.min >= members.length) {
    // Everyone must come: the windows are where everyone's time runs long enough, in whole words.
    const starts = windowStarts(
      board,
      andAll(
        members.map((m) => m.reach),
        board.length,
      ),
      q,
    );
    fits = (i) => hasBit(starts, i);
  } else {
    const attendees = new Uint16Array(board.length);
    const requiredIn = new Uint16Array(board.length);
    members.forEach((member, p) => {
      const must = rules.required[p] === true;
      forEachBit(
        windowStarts(board, member.reach, q),
        (i) => {
          attendees[i]!++;
          if (must) requiredIn[i]!++;
        },
        board.length,
      );
    });
    const requiredCount = rules.required.filter(Boolean).length;
    fits = (i) => requiredIn[i] === requiredCount && attendees[i]! >= rules.min;
  }
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
