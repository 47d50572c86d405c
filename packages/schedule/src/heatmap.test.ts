import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { weekArb, referenceHeatmap } from "@w2meet/testing";
import { heatmap } from "./heatmap.ts";
import { DAYS, weekToMask } from "./week.ts";

describe("heatmap", () => {
  test("counts and lists the people free at each hour in input order", () => {
    const map = heatmap([
      { email: "b@x.test", mask: weekToMask({ monday: [9, 10] }) },
      { email: "a@x.test", mask: weekToMask({ monday: [10], sunday: [23] }) },
    ]);
    expect(map.slots.monday[9]).toBe(1);
    expect(map.slots.monday[10]).toBe(2);
    expect(map.free.monday[10]).toEqual(["b@x.test", "a@x.test"]);
    expect(map.free.sunday[23]).toEqual(["a@x.test"]);
    expect(map.slots.tuesday).toEqual(new Array(24).fill(0));
  });

  test("has 24 zero slots and empty lists per day for nobody", () => {
    const map = heatmap([]);
    expect(Object.keys(map.slots)).toEqual([...DAYS]);
    for (const day of DAYS) {
      expect(map.slots[day]).toEqual(new Array(24).fill(0));
      expect(map.free[day]).toEqual(Array.from({ length: 24 }, () => []));
    }
  });

  test("equals a scan of every person's hours for any group", () => {
    const people = fc.array(weekArb, { maxLength: 8 }).map((weeks) => weeks.map((week, i) => ({ email: `p${i}@x.test`, week })));
    fc.assert(
      fc.property(people, (group) => {
        const map = heatmap(group.map((p) => ({ email: p.email, mask: weekToMask(p.week) })));
        expect(map).toEqual(referenceHeatmap(group));
      }),
    );
  });
});
