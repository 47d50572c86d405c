/**
 * Brute-force reference of the schedule package: the same domain rules, on plain `Week` objects
 * with arrays and sets and no bit tricks, so property tests can compare the two.
 */
import {
  DAYS,
  seededRandom,
  type Day,
  type Heatmap,
  type Interval,
  type Preference,
  type SuggestOptions,
  type Suggestion,
  type Week,
} from "@w2meet/schedule";

/** A member as the reference sees them: a plain week instead of a mask. */
export type ReferenceMember = { email: string; week: Partial<Record<Day, readonly number[]>>; preference: Preference };

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Free hours of a possibly partial week, as a set per day. */
function hourSets(week: Partial<Record<Day, readonly number[]>>): Record<Day, Set<number>> {
  const sets = {} as Record<Day, Set<number>>;
  for (const day of DAYS) sets[day] = new Set(week[day] ?? []);
  return sets;
}

/** Common hours by set intersection; no weeks => an empty week. */
export function referenceCommon(weeks: readonly Partial<Record<Day, readonly number[]>>[]): Week {
  const common = {} as Week;
  const sets = weeks.map(hourSets);
  for (const day of DAYS) {
    common[day] = sets.length === 0 ? [] : HOURS.filter((h) => sets.every((s) => s[day].has(h)));
  }
  return common;
}

/** Intervals by scanning each day hour by hour. */
export function referenceIntervals(week: Partial<Record<Day, readonly number[]>>): Interval[] {
  const sets = hourSets(week);
  const intervals: Interval[] = [];
  for (const day of DAYS) {
    let start = -1;
    for (let h = 0; h <= 24; h++) {
      const free = h < 24 && sets[day].has(h);
      if (free && start < 0) start = h;
      if (!free && start >= 0) {
        intervals.push({ day, start, end: h });
        start = -1;
      }
    }
  }
  return intervals;
}

/** Heatmap by scanning every hour of every person. */
export function referenceHeatmap(people: readonly { email: string; week: Partial<Record<Day, readonly number[]>> }[]): Heatmap {
  const slots = {} as Heatmap["slots"];
  const free = {} as Heatmap["free"];
  const sets = people.map((p) => hourSets(p.week));
  for (const day of DAYS) {
    free[day] = HOURS.map((h) => people.filter((_, i) => sets[i]![day].has(h)).map((p) => p.email));
    slots[day] = free[day].map((emails) => emails.length);
  }
  return { slots, free };
}

type Window = { day: Day; start: number; attendees: string[]; missing: string[] };

/**
 * Suggestions by nested loops and sorting: every window, its attendees, the qualifying ones,
 * each preference's full ranking, then the first `limit` not taken by an earlier preference.
 * Random ranking: group by attendee count, fully Fisher–Yates shuffle each group (forward, i = 0..n-2).
 */
export function referenceSuggest(members: readonly ReferenceMember[], options: SuggestOptions): Suggestion[] {
  const n = members.length;
  const d = options.durationHours;
  const limit = options.limit ?? 1;
  if (n === 0) return [];
  const min = Math.min(n, Math.max(1, options.minAttendees ?? n));
  const sets = members.map((m) => hourSets(m.week));

  const windows: Window[] = [];
  for (const day of DAYS) {
    for (let start = 0; start + d <= 24; start++) {
      const attendees: string[] = [];
      const missing: string[] = [];
      members.forEach((m, i) => {
        const free = HOURS.slice(start, start + d).every((h) => sets[i]![day].has(h));
        (free ? attendees : missing).push(m.email);
      });
      windows.push({ day, start, attendees, missing });
    }
  }
  const qualifying = windows.filter((w) => w.attendees.length >= min);
  const byCount = (a: Window, b: Window) => b.attendees.length - a.attendees.length;

  const preferences: Preference[] = options.preference
    ? [options.preference]
    : members.map((m) => m.preference).filter((p, i, all) => all.indexOf(p) === i);
  const random = seededRandom(options.seed ?? "reference");
  const chosen = new Set<Window>();
  const suggestions: Suggestion[] = [];
  for (const preference of preferences) {
    let ranking: Window[];
    if (preference === "first") ranking = [...qualifying].sort(byCount);
    else if (preference === "last") ranking = [...qualifying].reverse().sort(byCount);
    else {
      const counts = [...new Set(qualifying.map((w) => w.attendees.length))].sort((a, b) => b - a);
      ranking = counts.flatMap((c) =>
        shuffle(
          qualifying.filter((w) => w.attendees.length === c),
          random,
        ),
      );
    }
    for (const w of ranking.filter((w) => !chosen.has(w)).slice(0, limit)) {
      chosen.add(w);
      suggestions.push({ day: w.day, slot: [w.start, w.start + d], preference, attendees: w.attendees, missing: w.missing });
    }
  }
  return suggestions;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = 0; i < out.length - 1; i++) {
    const j = i + Math.floor(random() * (out.length - i));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
