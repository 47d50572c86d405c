import { DAYS, type Day, type DaySlot, type DaySlots, type Week } from "@w2meet/contracts";
import { type Bits, bitsOf, forEachBit, setRange } from "./bits.ts";

export { DAYS, type Day, type Week };

/** A day is 96 quarter hours; its mask is 3 words, so a day's bits start on a word boundary. */
export const QUARTERS_PER_DAY = 96;
export const QUARTER_MS = 15 * 60_000;
export const DAY_MS = 86_400_000;
const QUARTERS_PER_HOUR = 4;

/** A weekly pattern: 7 days × 96 quarters, Monday first; bit d * 96 + q = free in quarter q of day d. */
export type WeekMask = Bits;

/** One field of a day's input that is not a valid range, with why. */
export type SlotError = { index: number; message: string };

/** `"HH:MM"` → quarters since midnight (the grid is checked by the schema's pattern). */
const quarterOf = (time: string): number => Number(time.slice(0, 2)) * QUARTERS_PER_HOUR + Number(time.slice(3, 5)) / 15;

/** The quarters [start, end) one input item names: a whole hour or an `"HH:MM-HH:MM"` range. */
function quartersOf(slot: DaySlot): [number, number] {
  if (typeof slot === "number") return [slot * QUARTERS_PER_HOUR, (slot + 1) * QUARTERS_PER_HOUR];
  return [quarterOf(slot.slice(0, 5)), quarterOf(slot.slice(6, 11))];
}

/** Items of a day's input that the schema lets through but that name no time: ranges that end before they start. */
export function daySlotErrors(slots: readonly DaySlot[]): SlotError[] {
  const errors: SlotError[] = [];
  slots.forEach((slot, index) => {
    const [start, end] = quartersOf(slot);
    if (end <= start) errors.push({ index, message: "Expected the range to end after it starts" });
  });
  return errors;
}

/** Writes a day's free time (validated input) into `mask` at quarter `at`. Overlaps and repeats are harmless. */
function addDay(mask: Bits, at: number, slots: readonly DaySlot[] | undefined): void {
  if (!slots) return;
  for (const slot of slots) {
    if (typeof slot === "number") {
      // A whole hour is 4 bits that never straddle a word, as days start on word boundaries.
      const first = at + slot * QUARTERS_PER_HOUR;
      mask[first >>> 5]! |= 0xf << (first & 31);
      continue;
    }
    const [start, end] = quartersOf(slot);
    if (end > start) setRange(mask, at + start, at + end);
  }
}

/** A day's mask (96 bits) from its input. */
export function dayToMask(slots: readonly DaySlot[] | undefined): Bits {
  const mask = bitsOf(QUARTERS_PER_DAY);
  addDay(mask, 0, slots);
  return mask;
}

/** Packs a week's input into its mask form; a missing day has no free time. */
export function weekToMask(week: Partial<Record<Day, readonly DaySlot[] | undefined>>): WeekMask {
  const mask = bitsOf(DAYS.length * QUARTERS_PER_DAY);
  for (let d = 0; d < DAYS.length; d++) addDay(mask, d * QUARTERS_PER_DAY, week[DAYS[d]!]);
  return mask;
}

const hhmm = (quarter: number): string =>
  `${String(Math.floor(quarter / QUARTERS_PER_HOUR)).padStart(2, "0")}:${String((quarter % QUARTERS_PER_HOUR) * 15).padStart(2, "0")}`;

/** Runs of set bits in [at, at + 96) as [start, end) quarters of that day. */
function dayRuns(mask: Bits, at: number): [number, number][] {
  const runs: [number, number][] = [];
  let open = -1;
  let last = -2;
  forEachBit(
    mask.subarray(at >>> 5, (at + QUARTERS_PER_DAY) >>> 5),
    (i) => {
      if (i !== last + 1) {
        if (open >= 0) runs.push([open, last + 1]);
        open = i;
      }
      last = i;
    },
    QUARTERS_PER_DAY,
  );
  if (open >= 0) runs.push([open, last + 1]);
  return runs;
}

/**
 * A day's free time as answered: its start hours when every run is made of whole hours (today's form), else
 * its merged ranges. `at` must be a multiple of 32 (days are word aligned).
 */
export function dayOfMask(mask: Bits, at: number): DaySlots {
  // Whole hours are whole nibbles: read them straight off the words, and fall back to runs only when a
  // nibble is partly set.
  const hours: number[] = [];
  let whole = true;
  for (let h = 0; h < 24 && whole; h++) {
    const first = at + h * QUARTERS_PER_HOUR;
    const nibble = (mask[first >>> 5]! >>> (first & 31)) & 0xf;
    if (nibble === 0xf) hours.push(h);
    else if (nibble !== 0) whole = false;
  }
  if (whole) return hours;
  return dayRuns(mask, at).map(([start, end]) => `${hhmm(start)}-${hhmm(end)}`);
}

/** Unpacks a mask into a {@link Week} with all 7 days in order. */
export function maskToWeek(mask: WeekMask): Week {
  const week = {} as Week;
  for (let d = 0; d < DAYS.length; d++) week[DAYS[d]!] = dayOfMask(mask, d * QUARTERS_PER_DAY);
  return week;
}

/** A week's input in its answered form: every day present, overlaps merged, whole hours as start hours. */
export const normalizeWeek = (week: Partial<Record<Day, readonly DaySlot[] | undefined>>): Week => maskToWeek(weekToMask(week));

/** A day's input in its answered form. */
export const normalizeDay = (slots: readonly DaySlot[] | undefined): DaySlots => dayOfMask(dayToMask(slots), 0);

/** Hours as answered: quarters / 4 (9.5 is 09:30). */
export const hoursOf = (quarters: number): number => quarters / QUARTERS_PER_HOUR;
