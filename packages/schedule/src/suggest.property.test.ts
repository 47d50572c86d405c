import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { durationArb, membersArb, preferenceArb, referenceSuggest, type ReferenceMember } from "@w2meet/testing";
import { suggestSlots, type Member, type SuggestOptions } from "./suggest.ts";
import { weekToMask } from "./week.ts";

const toMembers = (group: readonly ReferenceMember[]): Member[] =>
  group.map((m) => ({ email: m.email, mask: weekToMask(m.week), preference: m.preference }));

/** A group plus options within the documented input ranges (minAttendees sometimes absent). */
const caseArb = membersArb.chain((group) =>
  fc.record({
    group: fc.constant(group),
    options: fc.record(
      {
        durationHours: durationArb,
        preference: preferenceArb,
        limit: fc.integer({ min: 1, max: 10 }),
        minAttendees: fc.integer({ min: 1, max: group.length }),
        seed: fc.string({ maxLength: 12 }),
      },
      { requiredKeys: ["durationHours", "seed"] },
    ),
  }),
);

/** Every window the reference says qualifies, as "day start" strings. */
function qualifyingKeys(group: readonly ReferenceMember[], options: SuggestOptions): Set<string> {
  const all = referenceSuggest(group, { ...options, preference: "first", limit: 168 });
  return new Set(all.map((s) => `${s.day} ${s.slot[0]}`));
}

describe("suggestSlots against the brute-force reference", () => {
  test("matches the reference for any group, duration, limit, minAttendees, preference and seed", () => {
    fc.assert(
      fc.property(caseArb, ({ group, options }) => {
        expect(suggestSlots(toMembers(group), options)).toEqual(referenceSuggest(group, options));
      }),
      { numRuns: 1000 },
    );
  });

  test("gives the same random answer for the same seed", () => {
    fc.assert(
      fc.property(caseArb, ({ group, options }) => {
        const random = { ...options, preference: "random" as const };
        expect(suggestSlots(toMembers(group), random)).toEqual(suggestSlots(toMembers(group), random));
      }),
    );
  });

  test("returns distinct qualifying windows, as many as the limit allows, at random with or without a seed", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), ({ group, options }, seeded) => {
        const random: SuggestOptions = { ...options, preference: "random" };
        if (!seeded) delete random.seed;
        const answer = suggestSlots(toMembers(group), random).map((s) => `${s.day} ${s.slot[0]}`);
        const qualifying = qualifyingKeys(group, random);
        expect(new Set(answer).size).toBe(answer.length);
        expect(answer.every((key) => qualifying.has(key))).toBe(true);
        expect(answer.length).toBe(Math.min(random.limit ?? 1, qualifying.size));
      }),
    );
  });

  test("never increases the attendee count down the ranking for any preference", () => {
    fc.assert(
      fc.property(caseArb, preferenceArb, ({ group, options }, preference) => {
        const counts = suggestSlots(toMembers(group), { ...options, preference }).map((s) => s.attendees.length);
        for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
      }),
    );
  });

  test("splits every member into attendees or missing, in member order", () => {
    fc.assert(
      fc.property(caseArb, ({ group, options }) => {
        const emails = group.map((m) => m.email);
        for (const s of suggestSlots(toMembers(group), options)) {
          expect(s.attendees.length + s.missing.length).toBe(emails.length);
          expect(emails.filter((e) => s.attendees.includes(e))).toEqual(s.attendees);
          expect(emails.filter((e) => s.missing.includes(e))).toEqual(s.missing);
          expect(s.attendees.length).toBeGreaterThanOrEqual(options.minAttendees ?? emails.length);
        }
      }),
    );
  });
});
