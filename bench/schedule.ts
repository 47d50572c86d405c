/**
 * Micro-benchmarks for the hot paths of @w2meet/schedule.
 * Run: bun bench/schedule.ts
 */
import { bench, do_not_optimize, run, summary } from "mitata";
import {
  calendarOf,
  commonDated,
  commonWeekly,
  DAYS,
  explainDated,
  explainWeekly,
  heatmapWeekly,
  localDay,
  type PersonInput,
  seededRandom,
  suggestDated,
  suggestWeekly,
  type Week,
} from "@w2meet/schedule";
import { BENCH_ZONES } from "./seed.ts";

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

const person = (i: number, week: Week, zone = "UTC"): PersonInput => ({
  email: `user${i}@example.test`,
  availabilities: week,
  time_zone: zone,
  preference: "first",
});
const now = Date.now();
const utc100 = Array.from({ length: 100 }, (_, i) => person(i, randomWeek(0.9)));
const zoned100 = Array.from({ length: 100 }, (_, i) => person(i, randomWeek(0.9), BENCH_ZONES[i % BENCH_ZONES.length]));
const crowd = Array.from({ length: 100 }, (_, i) => person(i, randomWeek(0.6)));
const seedWeek = { monday: [9, 10, 11], tuesday: [14] } as unknown as Week;
const pair = [person(0, seedWeek), person(1, seedWeek)];
const zonedPair = [person(0, seedWeek, "Europe/Berlin"), person(1, seedWeek, "America/New_York")];
const month = calendarOf("UTC", localDay("UTC", now), 28);
const week = calendarOf("UTC", localDay("UTC", now), 7);

summary(() => {
  bench("commonWeekly of 100 people in UTC", () => do_not_optimize(commonWeekly(utc100, "UTC", now)));
  bench("commonDated of 100 people in 20 zones over 28 days", () => do_not_optimize(commonDated(zoned100, month)));
  bench("heatmapWeekly of 100 people", () => do_not_optimize(heatmapWeekly(utc100, "UTC", now, 60)));
  bench("suggestWeekly 2 people in UTC, first, limit 1", () =>
    do_not_optimize(suggestWeekly(pair, "UTC", now, { minutes: 60, preference: "first", limit: 1 })),
  );
  bench("suggestWeekly 2 people in Berlin and New York, first, limit 1", () =>
    do_not_optimize(suggestWeekly(zonedPair, "UTC", now, { minutes: 60, preference: "first", limit: 1 })),
  );
  bench("suggestDated 2 people in Berlin and New York over 28 days", () =>
    do_not_optimize(suggestDated(zonedPair, month, { minutes: 60, preference: "first", limit: 1 })),
  );
  bench("explainWeekly 100 people in 20 zones, nothing fits (every relaxation)", () =>
    do_not_optimize(explainWeekly(zoned100, "UTC", now, { minutes: 180 })),
  );
  bench("explainDated 100 people in 20 zones over 7 days, nothing fits (wider window to 28)", () =>
    do_not_optimize(explainDated(zoned100, week, { minutes: 180 }, 28)),
  );
  bench("suggestWeekly 100 people, minAttendees 50, limit 5", () =>
    do_not_optimize(suggestWeekly(crowd, "UTC", now, { minutes: 120, preference: "first", minAttendees: 50, limit: 5 })),
  );
});

await run();
