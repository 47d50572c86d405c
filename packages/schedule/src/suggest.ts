import { allSet, type Bits } from "./bits.ts";
import type { Board } from "./calendar.ts";
import type { Placed } from "./place.ts";
import { seededRandom, unseededRandom } from "./random.ts";
import { onTheHour, pickWindows, qualifyingWindows, type Preference, type WindowKey } from "./rank.ts";

/** A group member on a board: who they are, when they can come, and how they like meetings chosen. */
export type Member = Placed & { email: string; preference: Preference };

/** What meeting to look for. */
export type SuggestOptions = {
  /** Meeting length in quarter hours, 1..96; a meeting lies within one day of the board. */
  quarters: number;
  /** How to choose; absent => each distinct preference of the members, in member order. */
  preference?: Preference;
  /** Suggestions wanted per preference; default 1. */
  limit?: number;
  /** Fewest attendees a window needs; default (and maximum) everyone, at least 1. */
  minAttendees?: number;
  /** Seed for `random`: the same seed gives the same answer. Absent => a different answer each time. */
  seed?: string;
  /** Members who must attend every window (by email); they count towards `minAttendees` too. */
  required?: readonly string[];
  /** Only the window starting at this quarter of the board, on the hour or not: is it still a fit? */
  at?: WindowKey;
};

/** One chosen window: where it starts on the board, the preference that chose it, and who can or cannot come. */
export type Pick = { key: WindowKey; preference: Preference; attendees: string[]; missing: string[]; if_needed: string[] };

/**
 * Chooses meeting windows of `quarters` that at least `minAttendees` members can attend.
 *
 * Every `required` member attends every window. Windows where every required member is on their free
 * time rank first, then those with more attendees, then those that use fewer quarters of if-needed time;
 * among equals, `first` picks the earliest start, `last` the latest, and `random` a uniformly random one
 * (reproducible with `seed`). With a `preference`, returns up to `limit` windows in its order. Without
 * one, each distinct member preference, in member order, contributes up to `limit` windows not already
 * chosen. Attendees, missing members and if-needed users are listed in member order.
 */
export function pickSlots(board: Board, members: readonly Member[], options: SuggestOptions): Pick[] {
  const duration = options.quarters;
  const limit = Math.floor(options.limit ?? 1);
  if (members.length === 0 || !Number.isInteger(duration) || duration < 1 || duration > 96 || !(limit >= 1)) return [];
  const minAttendees = clampAttendees(options.minAttendees, members.length);
  // Meetings start on the hour when everyone's time and the length are whole hours, so a group that never
  // spoke in minutes gets the hour-by-hour answer it always got; otherwise on any quarter hour.
  const hourly = options.at === undefined && duration % 4 === 0 && onTheHour(board, tiersOf(members));
  let groups = qualifyingWindows(board, members, duration, minAttendees, hourly, requiredFlags(members, options.required));
  if (options.at !== undefined) groups = groups.filter((keys) => keys.includes(options.at!)).map(() => [options.at!]);
  if (groups.length === 0) return [];

  const preferences = options.preference === undefined ? distinctPreferences(members) : [options.preference];
  const taken = new Uint8Array(board.length);
  const random = lazyRandom(options.seed);
  const picks: Pick[] = [];
  const keys: WindowKey[] = [];
  for (const preference of preferences) {
    keys.length = 0;
    pickWindows(groups, preference, limit, taken, random, keys);
    for (const key of keys) picks.push(describe(key, duration, preference, members));
  }
  return picks;
}

/** Every member's free time and reach, one after the other. */
function tiersOf(members: readonly Member[]): Bits[] {
  const sets: Bits[] = [];
  for (const member of members) sets.push(member.free, member.reach);
  return sets;
}

/** Which members must attend, in member order. */
export function requiredFlags(members: readonly { email: string }[], required: readonly string[] | undefined): boolean[] {
  if (!required?.length) return [];
  const must = new Set(required);
  return members.map((member) => must.has(member.email));
}

/** The members' preferences without repeats, in the order the members are listed. */
function distinctPreferences(members: readonly { preference: Preference }[]): Preference[] {
  const preferences: Preference[] = [];
  for (const member of members) {
    if (!preferences.includes(member.preference)) preferences.push(member.preference);
  }
  return preferences;
}

export function clampAttendees(requested: number | undefined, memberCount: number): number {
  if (requested === undefined || Number.isNaN(requested)) return memberCount;
  return Math.min(memberCount, Math.max(1, Math.ceil(requested)));
}

// Seeding hashes a string, so skip it for the common case where nobody prefers random.
function lazyRandom(seed: string | undefined): () => number {
  let random: (() => number) | undefined;
  return () => {
    random ??= seed === undefined ? unseededRandom() : seededRandom(seed);
    return random();
  };
}

function describe(key: WindowKey, duration: number, preference: Preference, members: readonly Member[]): Pick {
  const attendees: string[] = [];
  const missing: string[] = [];
  const ifNeeded: string[] = [];
  for (const member of members) {
    if (allSet(member.free, key, key + duration)) attendees.push(member.email);
    else if (allSet(member.reach, key, key + duration)) {
      attendees.push(member.email);
      ifNeeded.push(member.email);
    } else missing.push(member.email);
  }
  return { key, preference, attendees, missing, if_needed: ifNeeded };
}
