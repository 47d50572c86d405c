import { allSet, type Bits } from "./bits.ts";
import { QUARTERS_PER_DAY } from "./pattern.ts";

/**
 * One day of a heatmap: per cell, how many and who are free for all of it, and (when anyone has if-needed
 * time) who can make it only with that.
 */
export type HeatmapDay = { slots: number[]; free: string[][]; if_needed_slots?: number[]; if_needed?: string[][] };

/**
 * Heatmaps of wall-clock days (96 quarters each, `days` of them): cells of `step` minutes; a person counts as
 * free in a cell when free for all of it, and as if-needed when they can make all of it only with if-needed time.
 */
export function heatmapDays(people: readonly { email: string; free: Bits; reach: Bits }[], days: number, step: number): HeatmapDay[] {
  const width = step / 15;
  const tiered = people.some((person) => person.free.some((word, w) => word !== person.reach[w]));
  const cells = QUARTERS_PER_DAY / width;
  const out: HeatmapDay[] = [];
  for (let d = 0; d < days; d++) {
    const day = { slots: [] as number[], free: [] as string[][], if_needed_slots: [] as number[], if_needed: [] as string[][] };
    for (let c = 0; c < cells; c++) {
      const start = d * QUARTERS_PER_DAY + c * width;
      const free: string[] = [];
      const ifNeeded: string[] = [];
      for (const person of people) {
        if (allSet(person.free, start, start + width)) free.push(person.email);
        else if (allSet(person.reach, start, start + width)) ifNeeded.push(person.email);
      }
      day.slots.push(free.length);
      day.free.push(free);
      day.if_needed_slots.push(ifNeeded.length);
      day.if_needed.push(ifNeeded);
    }
    out.push(tiered ? day : { slots: day.slots, free: day.free });
  }
  return out;
}
