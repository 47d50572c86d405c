import { describe, expect, test } from "bun:test";
import { addDays, jsonRequest, nextYearsDate, person } from "@w2meet/testing";
import { suggestionsOverFake } from "../../test/app.ts";

const MONDAY = nextYearsDate(1, 12, "monday");

const people = [
  person("ada@example.com", { monday: [9, 10, 11], tuesday: [9, 10] }),
  person("bob@example.com", { monday: [9, 10, 11], tuesday: [14] }),
  person("cy@example.com", { monday: [14, 15], tuesday: [9, 10] }, "first", { if_needed: { monday: [9, 10] } }),
  person("dee@example.com", { monday: ["10:30-12:00"], tuesday: [9, 10] }),
  person("eve@example.com", { wednesday: [9] }),
  person("fay@example.com", { monday: ["09:15-12:00"] }),
];

const app = suggestionsOverFake(people);

async function get(path: string, query: string) {
  const response = await app.handle(jsonRequest("GET", `${path}?${query}`));
  return { status: response.status, body: (await response.json()) as any };
}
const suggestions = (query: string) => get("/suggestions", query);
const explain = (query: string) => get("/suggestions/explain", query);
const slots = (body: { suggestions: { day: string; slot: number[] }[] }) => body.suggestions.map((s) => `${s.day} ${s.slot.join("-")}`);

describe("required attendees", () => {
  test("attend every suggestion and join the group when users does not name them", async () => {
    const { status, body } = await suggestions("users=ada@example.com,bob@example.com&required=cy@example.com&min_attendees=2&limit=5");
    expect(status).toBe(200);
    for (const suggestion of body.suggestions) expect(suggestion.attendees).toContain("cy@example.com");
    // Two people with cy on free time rank before three with cy on if-needed time.
    expect(slots(body)).toEqual(["tuesday 9-10", "tuesday 10-11", "monday 9-10", "monday 10-11"]);
    expect(body.suggestions[2].attendees).toHaveLength(3);
  });

  test("rank slots where required people are on free time before those needing their if-needed hours", async () => {
    const { body } = await suggestions("users=ada@example.com,cy@example.com&required=cy@example.com&limit=5");
    expect(slots(body)).toEqual(["tuesday 9-10", "tuesday 10-11", "monday 9-10", "monday 10-11"]);
    expect(body.suggestions[2].if_needed).toEqual(["cy@example.com"]);
  });

  test("min_attendees counts them, and a malformed one is a 400 naming required", async () => {
    const { status, body } = await suggestions("users=ada@example.com,bob@example.com&required=nope");
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(["required"]);
    const tooMany = await suggestions("users=ada@example.com,bob@example.com&required=cy@example.com&min_attendees=4");
    expect(tooMany.body.errors.map((e: { path: string }) => e.path)).toEqual(["min_attendees"]);
  });
});

describe("one start with at", () => {
  test("answers the meeting starting then when it fits, nothing when not", async () => {
    const fits = await suggestions(`users=ada@example.com,bob@example.com&at=${MONDAY}T10:00:00Z`);
    expect(fits.status).toBe(200);
    expect(fits.body.suggestions).toHaveLength(1);
    expect(fits.body.suggestions[0]).toMatchObject({ start: `${MONDAY}T10:00:00Z`, end: `${MONDAY}T11:00:00Z` });
    // On any quarter hour, even where hourly ranking would only offer whole hours.
    const quarter = await suggestions(`users=ada@example.com,bob@example.com&at=${MONDAY}T10:15:00Z`);
    expect(quarter.body.suggestions).toHaveLength(1);
    const not = await suggestions(`users=ada@example.com,bob@example.com&at=${MONDAY}T11:30:00Z`);
    expect(not.body.suggestions).toEqual([]);
  });

  test("is a 400 off the quarter hour, as a bare date, or with from", async () => {
    for (const [query, field] of [
      [`at=${MONDAY}T10:05:00Z`, "at"],
      [`at=${MONDAY}`, "at"],
      [`at=${MONDAY}T10:00:00Z&from=${MONDAY}`, "from"],
    ]) {
      const { status, body } = await suggestions(`users=ada@example.com,bob@example.com&${query}`);
      expect(status).toBe(400);
      expect(body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
    }
  });
});

describe("what-if", () => {
  test("without leaves people out and assume adds hours, in the weekday and dated forms", async () => {
    expect((await suggestions("users=ada@example.com,bob@example.com,eve@example.com")).body.suggestions).toEqual([]);
    const without = await suggestions("users=ada@example.com,bob@example.com,eve@example.com&without=eve@example.com");
    expect(slots(without.body)).toEqual(["monday 9-10"]);
    const assumed = await suggestions("users=ada@example.com,bob@example.com,eve@example.com&assume=eve@example.com:monday:11:00-12:00");
    expect(slots(assumed.body)).toEqual(["monday 11-12"]);
    const dated = await suggestions(
      `users=ada@example.com,eve@example.com&from=${MONDAY}&days=2&assume=eve@example.com:${addDays(MONDAY, 1)}:09:30-10:30`,
    );
    expect(dated.body.suggestions.map((s: { start: string }) => s.start)).toEqual([`${addDays(MONDAY, 1)}T09:30:00Z`]);
  });

  test("if_needed names whose if-needed hours count", async () => {
    const group = "users=ada@example.com,cy@example.com&limit=5";
    expect(slots((await suggestions(`${group}&if_needed=none`)).body)).toEqual(["tuesday 9-10", "tuesday 10-11"]);
    expect(slots((await suggestions(`${group}&if_needed=cy@example.com`)).body)).toHaveLength(4);
  });

  test("names every bad entry in one 400", async () => {
    const { status, body } = await suggestions(
      "users=ada@example.com,bob@example.com&without=zed@example.com&assume=ada@example.com:funday:09:00-10:00,bob@example.com:monday:10:00-09:00&if_needed=zed@example.com",
    );
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["assume", "assume", "if_needed", "without"]);
    const dateWithoutFrom = await suggestions(`users=ada@example.com,bob@example.com&assume=ada@example.com:${MONDAY}:09:00-10:00`);
    expect(dateWithoutFrom.body.errors[0].message).toContain("needs `from`");
    const alone = await suggestions("users=ada@example.com,bob@example.com&without=bob@example.com");
    expect(alone.body.errors.map((e: { path: string }) => e.path)).toEqual(["without"]);
  });
});

describe("GET /suggestions/explain", () => {
  test("a feasible group: its slot count and who blocks the slots others could make", async () => {
    const { status, body } = await explain("users=ada@example.com,bob@example.com,dee@example.com&duration=60");
    expect(status).toBe(200);
    // Monday 10:30–12:00 all three: whole hours no longer (dee's half hours), so 10:30 and 10:45 and 11:00.
    expect(body).toMatchObject({ feasible: true, slots: 3 });
    expect(body.blockers[0]).toEqual({ email: "dee@example.com", slots: 6 });
    expect(body.relaxations.shorter).toEqual([]);
  });

  /** Applies each relaxation's parameters to the query and checks suggestions then offer its first slot. */
  async function applyEach(group: string, relaxations: Record<string, { apply: Record<string, string>; first: any }[]>) {
    for (const list of Object.values(relaxations)) {
      for (const change of list) {
        const query = new URLSearchParams(group);
        for (const [key, value] of Object.entries(change.apply)) query.set(key, value);
        query.set("limit", "50");
        query.set("preference", "first");
        const applied = await suggestions(query.toString());
        expect(applied.status).toBe(200);
        const place = (s: any) => s.start ?? `${s.day} ${s.slot.join("-")}`;
        expect(applied.body.suggestions.map(place)).toContain(place(change.first));
      }
    }
  }

  test("an infeasible group: who would miss, who could be left out, whose if-needed hours or which block would do", async () => {
    const group = "users=ada@example.com,bob@example.com,cy@example.com&duration=120&if_needed=none";
    const { status, body } = await explain(group);
    expect(status).toBe(200);
    expect(body).toMatchObject({ feasible: false, slots: 0 });
    const r = body.relaxations;
    expect(r.shorter).toEqual([]);
    expect(r.fewer_attendees.map((f: { missing: string[]; slots: number }) => [f.missing, f.slots])).toEqual([
      [["cy@example.com"], 2],
      [["bob@example.com"], 1],
    ]);
    expect(
      r.drop_optional.map((d: { email: string; slots: number; apply: { without: string } }) => [d.email, d.slots, d.apply.without]),
    ).toEqual([
      ["cy@example.com", 2, "cy@example.com"],
      ["bob@example.com", 1, "bob@example.com"],
    ]);
    expect(r.if_needed).toMatchObject([{ email: "cy@example.com", slots: 1, first: { day: "monday", slot: [9, 11] } }]);
    expect(r.free_block.map((b: { email: string; minutes: number; assume: string }) => [b.email, b.minutes, b.assume])).toEqual([
      ["bob@example.com", 120, "bob@example.com:tuesday:09:00-11:00"],
      ["cy@example.com", 120, "cy@example.com:monday:09:00-11:00"],
    ]);
    expect(body.blockers).toEqual([
      { email: "cy@example.com", slots: 2 },
      { email: "bob@example.com", slots: 1 },
    ]);
    await applyEach(group, r);
  });

  test("a shorter meeting, longest first", async () => {
    const group = "users=ada@example.com,dee@example.com&duration=180";
    const { body } = await explain(group);
    // Tuesday 09:00–11:00 and Monday 10:30–12:00 in common, on any quarter hour (dee's half hours).
    expect(body.relaxations.shorter.map((s: { duration: number; slots: number }) => [s.duration, s.slots])).toEqual([
      [120, 1],
      [105, 2],
      [90, 4],
      [75, 6],
      [60, 8],
    ]);
    await applyEach(group, body.relaxations);
  });

  test("leaving someone out of a group whose min_attendees named everyone applies min_attendees for the rest", async () => {
    const group = "users=ada@example.com,bob@example.com,cy@example.com&duration=120&if_needed=none&min_attendees=3";
    const { body } = await explain(group);
    expect(body.relaxations.drop_optional[0].apply).toEqual({ without: "cy@example.com", min_attendees: "2" });
    await applyEach(group, body.relaxations);
  });

  test("a shorter meeting a quarter hour short of the one asked", async () => {
    const { body } = await explain("users=ada@example.com,fay@example.com&duration=180");
    expect(body.relaxations.shorter[0]).toMatchObject({ duration: 165, slots: 1, first: { day: "monday", slot: [9.25, 12] } });
  });

  test("a dated window offers more days from the same start", async () => {
    const tuesday = addDays(MONDAY, 1);
    const group = `users=ada@example.com,bob@example.com&from=${tuesday}&days=2`;
    const { body } = await explain(group);
    expect(body.feasible).toBe(false);
    // Each number of days that adds slots: every Monday brings three.
    expect(
      body.relaxations.wider_window.map((w: { days: number; slots: number; apply: { days: string } }) => [w.days, w.slots, w.apply.days]),
    ).toEqual([
      [7, 3, "7"],
      [14, 6, "14"],
      [21, 9, "21"],
      [28, 12, "28"],
    ]);
    expect(body.relaxations.wider_window[0].first.start).toBe(`${addDays(MONDAY, 7)}T09:00:00Z`);
    await applyEach(group, body.relaxations);
  });

  test("takes the same checks as suggestions, and refuses at", async () => {
    const { status, body } = await explain(`users=ada@example.com&duration=50&at=${MONDAY}T10:00:00Z`);
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["duration", "users"]);
    const at = await explain(`users=ada@example.com,bob@example.com&at=${MONDAY}T10:00:00Z`);
    expect(at.body.errors.map((e: { path: string }) => e.path)).toEqual(["at"]);
  });
});
