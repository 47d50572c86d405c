// What the schemas cannot say about a week or a day of free time, and the if-needed rule: time a person
// is available is never also kept as if-needed.
import type { DaySlot, DaySlots, FieldError } from "@w2meet/contracts";
import { type Day, DAYS, daySlotErrors, maskToWeek, type Week, weekToMask } from "@w2meet/schedule";

type Slots = readonly DaySlot[] | undefined;
type WeekInput = Partial<Record<Day, Slots>>;

/** The ranges of a day's input that end before they start, as field errors under `path`, e.g. `available[1]`. */
export const dayErrors = (slots: Slots, path: string): FieldError[] =>
  daySlotErrors(slots ?? []).map(({ index, message }) => ({ path: `${path}[${index}]`, message }));

/** The ranges of a week's input that end before they start, e.g. `availabilities.monday[0]`. */
export const weekErrors = (week: WeekInput | undefined, path: string): FieldError[] =>
  week ? DAYS.flatMap((day) => dayErrors(week[day], `${path}.${day}`)) : [];

/** If-needed time without the time that is also available, in the answered form. */
export function ifNeededWeek(ifNeeded: WeekInput, available: WeekInput): Week {
  const mask = weekToMask(ifNeeded);
  const taken = weekToMask(available);
  for (let word = 0; word < mask.length; word++) mask[word]! &= ~taken[word]!;
  return maskToWeek(mask);
}

/** One day's if-needed time without its available time, in the answered form. */
export const ifNeededDay = (ifNeeded: Slots, available: Slots): DaySlots =>
  ifNeededWeek({ monday: ifNeeded }, { monday: available }).monday;
