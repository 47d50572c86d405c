// A week (or one date) as quarter hours, each free, if needed, or neither; and its API form.

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Day = (typeof DAYS)[number];
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** What a quarter hour is painted with. */
export const NONE = 0;
export const FREE = 1;
export const IF_NEEDED = 2;
export type Mark = typeof NONE | typeof FREE | typeof IF_NEEDED;

export const QUARTERS = 96;

/** One day's free time as the API writes it: start hours, or "HH:MM-HH:MM" ranges. */
export type DaySlots = (number | string)[];

const minutesOf = (clock: string) => {
  const [hours, minutes] = clock.split(":").map(Number);
  return hours! * 60 + minutes!;
};

/** Marks `mark` on the quarters `slots` name. */
export function markSlots(day: Uint8Array, slots: DaySlots | undefined, mark: Mark) {
  for (const slot of slots ?? []) {
    const [from, to] = typeof slot === "number" ? [slot * 60, slot * 60 + 60] : slot.split("-").map(minutesOf);
    for (let quarter = from! / 15; quarter < to! / 15; quarter++) day[quarter] = mark;
  }
}

const clockOf = (quarter: number) => `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`;

/** The runs of quarters marked `mark`, as ranges ("09:00-12:30"). */
export function slotsOf(day: Uint8Array, mark: Mark): string[] {
  const ranges: string[] = [];
  let start = -1;
  for (let quarter = 0; quarter <= QUARTERS; quarter++) {
    const marked = quarter < QUARTERS && day[quarter] === mark;
    if (marked && start < 0) start = quarter;
    if (!marked && start >= 0) {
      ranges.push(`${clockOf(start)}-${quarter === QUARTERS ? "24:00" : clockOf(quarter)}`);
      start = -1;
    }
  }
  return ranges;
}

/** A fresh, empty week: one day of quarters per weekday. */
const emptyWeek = () => DAYS.map(() => new Uint8Array(QUARTERS));

/** A week from the API's `availabilities` and `if_needed`. */
export function weekOf(available: Partial<Record<Day, DaySlots>>, ifNeeded: Partial<Record<Day, DaySlots>> = {}) {
  const week = emptyWeek();
  DAYS.forEach((day, index) => {
    markSlots(week[index]!, ifNeeded[day], IF_NEEDED);
    markSlots(week[index]!, available[day], FREE);
  });
  return week;
}

/** The API's `availabilities` and `if_needed` of a week. */
export function apiWeekOf(week: Uint8Array[]) {
  const entries = (mark: Mark) => Object.fromEntries(DAYS.map((day, index) => [day, slotsOf(week[index]!, mark)]));
  return { availabilities: entries(FREE), if_needed: entries(IF_NEEDED) };
}
