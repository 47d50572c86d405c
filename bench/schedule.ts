/**
 * Micro-benchmarks for the hot paths of @w2meet/schedule.
 * Run: bun bench/schedule.ts
 */
import { bench, do_not_optimize, run, summary } from "mitata";
import {
  commonFreeHours,
  DAYS,
  freeIntervals,
  heatmap,
  seededRandom,
  suggestSlots,
  weekToMask,
  type Member,
  type Week,
  type WeekMask,
} from "@w2meet/schedule";

const random = seededRandom("schedule-bench");

/** A week where each hour is free with the given probability, shaped like real availability from 8 to 22. */
function randomWeek(freeChance: number): Week {
  const week = {} as Week;
  for (const day of DAYS) {
    week[day] = [];
    for (let h = 8; h < 22; h++) if (random() < freeChance) week[day].push(h);
  }
  return week;
}

const masks: WeekMask[] = Array.from({ length: 100 }, () => weekToMask(randomWeek(0.9)));
const people = masks.map((mask, i) => ({ email: `user${i}@example.test`, mask }));
const crowd: Member[] = Array.from({ length: 100 }, (_, i) => ({
  email: `user${i}@example.test`,
  mask: weekToMask(randomWeek(0.6)),
  preference: "first",
}));
const pair: Member[] = [
  { email: "a@example.test", mask: weekToMask({ monday: [9, 10, 11], tuesday: [14] }), preference: "first" },
  { email: "b@example.test", mask: weekToMask({ monday: [9, 10, 11], tuesday: [14] }), preference: "first" },
];

summary(() => {
  bench("commonFreeHours + freeIntervals of 100 weeks", () => do_not_optimize(freeIntervals(commonFreeHours(masks))));
  bench("heatmap of 100 people", () => do_not_optimize(heatmap(people)));
  bench("suggestSlots 2 members, first, limit 1", () =>
    do_not_optimize(suggestSlots(pair, { durationHours: 1, preference: "first", limit: 1 })),
  );
  bench("suggestSlots 100 members, minAttendees 50, limit 5", () =>
    do_not_optimize(suggestSlots(crowd, { durationHours: 2, preference: "first", minAttendees: 50, limit: 5 })),
  );
  bench("suggestSlots 100 members, random, minAttendees 50, limit 5", () =>
    do_not_optimize(suggestSlots(crowd, { durationHours: 2, preference: "random", minAttendees: 50, limit: 5, seed: "s" })),
  );
});

await run();
