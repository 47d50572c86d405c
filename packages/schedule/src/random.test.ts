import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { seededRandom, unseededRandom } from "./random.ts";

const draw = (random: () => number, count: number) => Array.from({ length: count }, random);

describe("seededRandom", () => {
  test("gives the same sequence for the same seed", () => {
    fc.assert(fc.property(fc.string(), (seed) => expect(draw(seededRandom(seed), 20)).toEqual(draw(seededRandom(seed), 20))));
  });

  test("returns numbers in [0, 1)", () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        for (const x of draw(seededRandom(seed), 50)) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  test("gives different sequences for different seeds", () => {
    expect(draw(seededRandom("a"), 5)).not.toEqual(draw(seededRandom("b"), 5));
    expect(draw(seededRandom(""), 5)).not.toEqual(draw(seededRandom(" "), 5));
  });

  test("spreads draws evenly over ten buckets", () => {
    const buckets = new Array<number>(10).fill(0);
    const random = seededRandom("uniformity");
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(random() * 10)]!++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe("unseededRandom", () => {
  test("gives a different sequence each time, in [0, 1)", () => {
    const first = draw(unseededRandom(), 20);
    expect(first).not.toEqual(draw(unseededRandom(), 20));
    for (const x of first) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  test("spreads draws evenly over ten buckets", () => {
    const buckets = new Array<number>(10).fill(0);
    const random = unseededRandom();
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(random() * 10)]!++;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
