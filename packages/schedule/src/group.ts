/**
 * The scheduling answers for a group, in both forms:
 * - weekday form (no `from`): computed for the coming week in the display zone and answered per weekday, so
 *   a group all in UTC without exceptions gets exactly its weekly patterns' answer;
 * - dated form: real instants from the window's start, each slot with its date, weekday and hours in the
 *   display zone and its ISO 8601 start and end.
 */
import type { DatedInterval, DatedSuggestion, DaySlot, Interval, Suggestion, Week } from "@w2meet/contracts";
import type { Bits } from "./bits.ts";
import { type Calendar, comingWeek, WEEK_BOARD } from "./calendar.ts";
import { commonFree, runsOf } from "./common.ts";
import { type HeatmapDay, heatmapDays } from "./heatmap.ts";
import { DAYS, type Day, dayOfMask, dayToMask, hoursOf, maskToWeek, QUARTER_MS, QUARTERS_PER_DAY, weekToMask } from "./pattern.ts";
import { type Assumption, withAssumptions } from "./assume.ts";
import { asWeek, clockShift, fold, hasExceptionsNear, type Person, place, rotateWeek } from "./place.ts";
import type { Preference } from "./rank.ts";
import { type Member, type Pick as Chosen, pickSlots, type SuggestOptions } from "./suggest.ts";
import { dayNumber, isoIn, localDay, wallMinutes } from "./zone.ts";

/** A person as the users service answers them. */
export type PersonInput = {
  email: string;
  availabilities: Partial<Record<Day, readonly DaySlot[]>>;
  if_needed?: Partial<Record<Day, readonly DaySlot[]>>;
  time_zone?: string;
  dates?: readonly { date: string; available: readonly DaySlot[]; if_needed?: readonly DaySlot[] }[];
  preference: Preference;
};

const or = (a: Bits, b: Bits): Bits => {
  const out = a.slice();
  for (let w = 0; w < out.length; w++) out[w]! |= b[w]!;
  return out;
};

/** A person in the scheduling functions' form: masks of their weekly tiers and of each exception. */
export function personOf(input: PersonInput): Person & { preference: Preference } {
  const free = weekToMask(input.availabilities);
  const ifNeeded = input.if_needed ? weekToMask(input.if_needed) : undefined;
  const reach = ifNeeded?.some((word) => word !== 0) ? or(free, ifNeeded) : free;
  const dates = new Map<number, { available: Bits; reach: Bits }>();
  for (const exception of input.dates ?? []) {
    const available = dayToMask(exception.available);
    const ifNeededThen = dayToMask(exception.if_needed);
    const reachThen = ifNeededThen.some((word) => word !== 0) ? or(available, ifNeededThen) : available;
    dates.set(dayNumber(exception.date), { available, reach: reachThen });
  }
  return { email: input.email, zone: input.time_zone ?? "UTC", free, reach, dates, preference: input.preference };
}

/** Both tiers mapped by `map`, once when they are the one set (nobody's if-needed time). */
function bothTiers({ free, reach }: { free: Bits; reach: Bits }, map: (bits: Bits) => Bits): { free: Bits; reach: Bits } {
  const mapped = map(free);
  return { free: mapped, reach: reach === free ? mapped : map(reach) };
}

const weekCalendars = new Map<string, Calendar>();

/** The coming week in `zone` (cached per zone and date, since every weekday-form request asks it). */
function weekCalendar(zone: string, now: number): Calendar {
  const key = `${zone}|${localDay(zone, now)}`;
  let calendar = weekCalendars.get(key);
  if (!calendar) {
    calendar = comingWeek(zone, now);
    if (weekCalendars.size > 1000) weekCalendars.clear();
    weekCalendars.set(key, calendar);
  }
  return calendar;
}

/** Each person's tiers as weekday masks in `zone`: their coming week folded onto its wall clock. */
function onWeek(people: readonly (Person & { preference: Preference })[], zone: string, now: number): Member[] {
  const week = weekCalendar(zone, now);
  return people.map((person) => {
    // With no clock change near and no exception, a person's week folded onto the zone's clock is their
    // pattern turned by the difference of the clocks: no need to place it on real time.
    const shift = clockShift(person, week);
    const { free, reach } =
      shift !== null && !hasExceptionsNear(person, week)
        ? bothTiers(person, (bits) => rotateWeek(bits, shift))
        : bothTiers(place(person, week), (bits) => asWeek(week, fold(week, bits)));
    return { email: person.email, preference: person.preference, free, reach };
  });
}

/** Each person's tiers on the calendar. */
const onCalendar = (people: readonly (Person & { preference: Preference })[], calendar: Calendar): Member[] =>
  people.map((person) => ({ email: person.email, preference: person.preference, ...place(person, calendar) }));

// ---------------------------------------------------------------------------------------------- common

/** The time everyone is free in the weekday form: as a week and as merged intervals (hours, 9.5 = 09:30). */
export function commonWeekly(people: readonly PersonInput[], zone: string, now: number): { week: Week; intervals: Interval[] } {
  const members = onWeek(people.map(personOf), zone, now);
  const common = commonFree(
    members.map((m) => m.free),
    WEEK_BOARD,
  );
  const intervals = runsOf(WEEK_BOARD, common).map((run) => {
    const at = run.dayIndex * QUARTERS_PER_DAY;
    return { day: DAYS[run.dayIndex]!, start: hoursOf(run.start - at), end: hoursOf(run.end - at) };
  });
  return { week: maskToWeek(common), intervals };
}

/** Hours in the calendar's zone of quarter `i`, which is the end of the day at the day's last quarter. */
function hourAt(calendar: Calendar, i: number, dayEnd: number): number {
  if (i === dayEnd) return 24;
  return Math.round(wallMinutes(calendar.zone, calendar.origin + i * QUARTER_MS) / 15) / 4;
}

/** Where a run of quarters [start, end) of a calendar day lies, in the answer's terms. */
export function placeOf(calendar: Calendar, dayIndex: number, start: number, end: number): DatedInterval {
  const day = calendar.days[dayIndex]!;
  return {
    date: day.date,
    day: day.day,
    start: isoIn(calendar.zone, calendar.origin + start * QUARTER_MS),
    end: isoIn(calendar.zone, calendar.origin + end * QUARTER_MS),
    slot: [hourAt(calendar, start, -1), hourAt(calendar, end, day.end)],
  };
}

/** The time everyone is free on each date of the calendar, and as dated intervals split at the zone's midnights. */
export function commonDated(
  people: readonly PersonInput[],
  calendar: Calendar,
): { dates: { date: string; day: Day; available: DaySlot[] }[]; intervals: DatedInterval[] } {
  const members = onCalendar(people.map(personOf), calendar);
  const common = commonFree(
    members.map((m) => m.free),
    calendar,
  );
  const folded = fold(calendar, common);
  return {
    dates: calendar.days.map((day, k) => ({ date: day.date, day: day.day, available: dayOfMask(folded, k * QUARTERS_PER_DAY) })),
    intervals: runsOf(calendar, common).map((run) => placeOf(calendar, run.dayIndex, run.start, run.end)),
  };
}

// --------------------------------------------------------------------------------------------- heatmap

/** Weekday-form heatmap: per weekday, cells of `step` minutes. */
export function heatmapWeekly(people: readonly PersonInput[], zone: string, now: number, step: number): Record<Day, HeatmapDay> {
  const days = heatmapDays(onWeek(people.map(personOf), zone, now), DAYS.length, step);
  return Object.fromEntries(DAYS.map((day, d) => [day, days[d]!])) as Record<Day, HeatmapDay>;
}

/** Dated heatmap: per date of the calendar, cells of `step` minutes of the zone's wall clock. */
export function heatmapDated(
  people: readonly PersonInput[],
  calendar: Calendar,
  step: number,
): (HeatmapDay & { date: string; day: Day; start: string })[] {
  const folded = onCalendar(people.map(personOf), calendar).map((m) => ({
    email: m.email,
    ...bothTiers(m, (bits) => fold(calendar, bits)),
  }));
  return heatmapDays(folded, calendar.days.length, step).map((cells, k) => {
    const day = calendar.days[k]!;
    return { date: day.date, day: day.day, start: isoIn(calendar.zone, calendar.origin + day.start * QUARTER_MS), ...cells };
  });
}

// ----------------------------------------------------------------------------------------- suggestions

/**
 * What the suggestion functions take: the duration in minutes (a multiple of 15); whose if-needed time counts
 * (absent: everyone's); and what-if hours assumed free.
 */
export type MeetingOptions = Omit<SuggestOptions, "quarters"> & {
  minutes: number;
  ifNeededOf?: readonly string[];
  assume?: readonly Assumption[];
};

// Each option named rather than spread (on every request): an option added to SuggestOptions goes here too.
const quartersOf = (options: MeetingOptions): SuggestOptions => ({
  quarters: options.minutes / 15,
  preference: options.preference,
  limit: options.limit,
  minAttendees: options.minAttendees,
  seed: options.seed,
  required: options.required,
  at: options.at,
});

/** A person without if-needed time: in their week and on their dates. */
function withoutIfNeeded({ if_needed: _, ...person }: PersonInput): PersonInput {
  return { ...person, ...(person.dates && { dates: person.dates.map(({ if_needed: _unused, ...date }) => date) }) };
}

/** The people as the meeting counts them: if-needed time only of those named in `ifNeededOf`, when given. */
const countedAs = (people: readonly PersonInput[], ifNeededOf: readonly string[] | undefined): readonly PersonInput[] =>
  ifNeededOf === undefined ? people : people.map((person) => (ifNeededOf.includes(person.email) ? person : withoutIfNeeded(person)));

/** The members in the weekday form, as the meeting counts them, with assumed hours. */
export const weekMembers = (people: readonly PersonInput[], zone: string, now: number, options: MeetingOptions): Member[] =>
  withAssumptions(WEEK_BOARD, onWeek(countedAs(people, options.ifNeededOf).map(personOf), zone, now), options.assume);

/** The members on a calendar, as the meeting counts them, with assumed hours. */
export const calendarMembers = (people: readonly PersonInput[], calendar: Calendar, options: MeetingOptions): Member[] =>
  withAssumptions(calendar, onCalendar(countedAs(people, options.ifNeededOf).map(personOf), calendar), options.assume);

// Adds who comes and who does not to the slot `where` (made for the answer), in the answer's key order.
// `if_needed` is named only when someone would use if-needed time, so a group without any gets today's answer.
function withWho<T extends object>(where: T, pick: Chosen): T & Omit<Suggestion, "day" | "slot"> {
  const answer = where as T & Omit<Suggestion, "day" | "slot">;
  answer.preference = pick.preference;
  answer.attendees = pick.attendees;
  answer.missing = pick.missing;
  if (pick.if_needed.length > 0) answer.if_needed = pick.if_needed;
  return answer;
}

/** Ranked suggestions in the weekday form (earliest in the week, Monday 00:00 first, for `first`). */
export function suggestWeekly(people: readonly PersonInput[], zone: string, now: number, options: MeetingOptions): Suggestion[] {
  const quarters = options.minutes / 15;
  return pickSlots(WEEK_BOARD, weekMembers(people, zone, now, options), quartersOf(options)).map((pick) => {
    const d = Math.floor(pick.key / QUARTERS_PER_DAY);
    const start = pick.key - d * QUARTERS_PER_DAY;
    return withWho({ day: DAYS[d]!, slot: [hoursOf(start), hoursOf(start + quarters)] as [number, number] }, pick);
  });
}

/** Ranked suggestions at real instants of the calendar (earliest first for `first`). */
export function suggestDated(people: readonly PersonInput[], calendar: Calendar, options: MeetingOptions): DatedSuggestion[] {
  const quarters = options.minutes / 15;
  return pickSlots(calendar, calendarMembers(people, calendar, options), quartersOf(options)).map((pick) => {
    let d = 0;
    while (calendar.days[d]!.end <= pick.key) d++;
    return withWho(placeOf(calendar, d, pick.key, pick.key + quarters), pick);
  });
}
