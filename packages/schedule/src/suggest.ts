import { randomSeed, seededRandom } from "./random.ts";
import { pickWindows, qualifyingWindows, WINDOW_KEYS, type Preference, type WindowKey } from "./rank.ts";
import { DAYS, HOURS_PER_DAY, hoursMask, type Day, type WeekMask } from "./week.ts";

/** A group member: who they are, when they are free, and how they like meetings chosen. */
export type Member = { email: string; mask: WeekMask; preference: Preference };

/** What meeting to look for. */
export type SuggestOptions = {
  /** Meeting length, 1..24; a meeting lies within one day: start s, end s + d <= 24. */
  durationHours: number;
  /** How to choose; absent => each distinct preference of the members, in member order. */
  preference?: Preference;
  /** Suggestions wanted per preference; default 1. */
  limit?: number;
  /** Fewest attendees a window needs; default (and maximum) everyone, at least 1. */
  minAttendees?: number;
  /** Seed for `random`: the same seed gives the same answer. Absent => a different answer each time. */
  seed?: string;
};

/** One suggested meeting: its day, [start, end) hours, the preference that chose it, and who can or cannot come. */
export type Suggestion = {
  day: Day;
  slot: [number, number];
  preference: Preference;
  attendees: string[];
  missing: string[];
};

/**
 * Suggests meeting windows of `durationHours` that at least `minAttendees` members can attend.
 *
 * Windows with more attendees rank first; among equals, `first` picks the earliest start in the week,
 * `last` the latest, and `random` a uniformly random one (reproducible with `seed`).
 * With a `preference`, returns up to `limit` windows in its order. Without one, each distinct member
 * preference, in member order, contributes up to `limit` windows not already suggested.
 * Attendees and missing members are listed in member order.
 */
export function suggestSlots(members: readonly Member[], options: SuggestOptions): Suggestion[] {
  const duration = options.durationHours;
  const limit = Math.floor(options.limit ?? 1);
  if (members.length === 0 || !Number.isInteger(duration) || duration < 1 || duration > HOURS_PER_DAY || !(limit >= 1)) {
    return [];
  }
  const minAttendees = clampAttendees(options.minAttendees, members.length);
  const groups = qualifyingWindows(members, duration, minAttendees);
  if (groups.length === 0) return [];

  const preferences = options.preference === undefined ? distinctPreferences(members) : [options.preference];
  const taken = new Uint8Array(WINDOW_KEYS);
  const random = lazyRandom(options.seed);
  const suggestions: Suggestion[] = [];
  const keys: WindowKey[] = [];
  for (const preference of preferences) {
    keys.length = 0;
    pickWindows(groups, preference, limit, taken, random, keys);
    for (const key of keys) suggestions.push(describe(key, duration, preference, members, minAttendees));
  }
  return suggestions;
}

/** The members' preferences without repeats, in the order the members are listed. */
function distinctPreferences(members: readonly { preference: Preference }[]): Preference[] {
  const preferences: Preference[] = [];
  for (const member of members) {
    if (!preferences.includes(member.preference)) preferences.push(member.preference);
  }
  return preferences;
}

function clampAttendees(requested: number | undefined, memberCount: number): number {
  if (requested === undefined || Number.isNaN(requested)) return memberCount;
  return Math.min(memberCount, Math.max(1, Math.ceil(requested)));
}

// Seeding hashes a string, so skip it for the common case where nobody prefers random.
function lazyRandom(seed: string | undefined): () => number {
  let random: (() => number) | undefined;
  return () => {
    random ??= seededRandom(seed ?? randomSeed());
    return random();
  };
}

function describe(key: WindowKey, duration: number, preference: Preference, members: readonly Member[], minAttendees: number): Suggestion {
  const dayIndex = Math.floor(key / HOURS_PER_DAY);
  const start = key - dayIndex * HOURS_PER_DAY;
  const attendees: string[] = [];
  const missing: string[] = [];
  if (minAttendees >= members.length) {
    for (const member of members) attendees.push(member.email);
  } else {
    const window = hoursMask(start, duration);
    for (const member of members) {
      if (((member.mask[dayIndex] ?? 0) & window) >>> 0 === window) attendees.push(member.email);
      else missing.push(member.email);
    }
  }
  return { day: DAYS[dayIndex]!, slot: [start, start + duration], preference, attendees, missing };
}
