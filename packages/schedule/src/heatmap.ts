import { DAYS, FULL_DAY, HOURS_PER_DAY, type Day, type WeekMask } from "./week.ts";

/** How many people, and who, are free at each hour of the week. */
export type Heatmap = {
  /** 24 counts per day: slots[day][h] = number of people free at hour h. */
  slots: Record<Day, number[]>;
  /** free[day][h] = emails of the people free at hour h, in input order. */
  free: Record<Day, string[][]>;
};

/** Counts, and lists, the people free at each of the week's 168 hours. */
export function heatmap(people: readonly { email: string; mask: WeekMask }[]): Heatmap {
  const slots = {} as Record<Day, number[]>;
  const free = {} as Record<Day, string[][]>;
  for (let d = 0; d < DAYS.length; d++) {
    const day = DAYS[d]!;
    const counts = new Array<number>(HOURS_PER_DAY).fill(0);
    const emails: string[][] = [];
    for (let h = 0; h < HOURS_PER_DAY; h++) emails.push([]);
    for (const person of people) {
      let bits = (person.mask[d] ?? 0) & FULL_DAY;
      while (bits !== 0) {
        const lowest = bits & -bits;
        const hour = 31 - Math.clz32(lowest);
        counts[hour]!++;
        emails[hour]!.push(person.email);
        bits ^= lowest;
      }
    }
    slots[day] = counts;
    free[day] = emails;
  }
  return { slots, free };
}
