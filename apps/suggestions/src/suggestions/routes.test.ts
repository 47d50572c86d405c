import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closedPortUrl, jsonRequest, person, startFakeAvailability, type FakeAvailability } from "@w2meet/testing";
import { suggestionsAppOver } from "../../test/app.ts";

const appFor = suggestionsAppOver;

async function get(app: ReturnType<typeof appFor>, query: string, headers: Record<string, string> = {}) {
  const response = await app.handle(jsonRequest("GET", `/suggestions?${query}`, undefined, headers));
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const seedWeek = { monday: [9, 10, 11], tuesday: [14] };
const everyHour = Array.from({ length: 24 }, (_, h) => h);
const wholeWeek = {
  monday: everyHour,
  tuesday: everyHour,
  wednesday: everyHour,
  thursday: everyHour,
  friday: everyHour,
  saturday: everyHour,
  sunday: everyHour,
};
const people = [
  person("ada@example.com", seedWeek, "first"),
  person("bob@example.com", seedWeek, "first"),
  person("grace@example.com", seedWeek, "last"),
  person("rosa@example.com", seedWeek, "random"),
  person("p1@example.com", { monday: [9, 10], tuesday: [8] }),
  person("p2@example.com", { monday: [9], tuesday: [8] }),
  person("p3@example.com", { monday: [10], tuesday: [8] }),
  person("w1@example.com", wholeWeek, "random"),
  person("w2@example.com", wholeWeek, "random"),
];

let availability: FakeAvailability;
let app: ReturnType<typeof appFor>;
beforeAll(() => {
  availability = startFakeAvailability(people);
  app = appFor(availability.url);
});
afterAll(() => availability.stop());

const slots = (body: { suggestions: { day: string; slot: number[] }[] }) => body.suggestions.map((s) => `${s.day} ${s.slot.join("-")}`);

describe("GET /suggestions", () => {
  test("suggests the first common hour of the seed example", async () => {
    const { status, body } = await get(app, "users=ada@example.com,bob@example.com");
    expect(status).toBe(200);
    expect(body).toEqual({
      suggestions: [{ day: "monday", slot: [9, 10], preference: "first", attendees: ["ada@example.com", "bob@example.com"], missing: [] }],
    });
  });

  test("answers at /suggestions/ too", async () => {
    const response = await app.handle(jsonRequest("GET", "/suggestions/?users=ada@example.com,bob@example.com"));
    expect(response.status).toBe(200);
  });

  test("accepts the seed system's userId1 and userId2", async () => {
    const { body } = await get(app, "userId1=ada@example.com&userId2=BOB@example.com&preference=last");
    expect(slots(body)).toEqual(["tuesday 14-15"]);
  });

  test.each([
    ["first", "60", ["monday 9-10"]],
    ["last", "60", ["tuesday 14-15"]],
    ["first", "120", ["monday 9-11"]],
    ["last", "120", ["monday 10-12"]],
    ["first", "180", ["monday 9-12"]],
    ["first", "240", []],
  ])("with preference %s and %s minutes suggests %p", async (preference, duration, expected) => {
    const { status, body } = await get(app, `users=ada@example.com,bob@example.com&preference=${preference}&duration=${duration}`);
    expect(status).toBe(200);
    expect(slots(body)).toEqual(expected);
  });

  test("gives up to limit distinct slots in preference order", async () => {
    expect(slots((await get(app, "users=ada@example.com,bob@example.com&limit=3")).body)).toEqual([
      "monday 9-10",
      "monday 10-11",
      "monday 11-12",
    ]);
    expect(slots((await get(app, "users=ada@example.com,bob@example.com&limit=50&preference=last")).body)).toEqual([
      "tuesday 14-15",
      "monday 11-12",
      "monday 10-11",
      "monday 9-10",
    ]);
  });

  test("without a preference, suggests once per distinct stored preference in the order of the users list", async () => {
    const ordered = await get(app, "users=ada@example.com,grace@example.com,bob@example.com");
    expect(ordered.body.suggestions.map((s: { preference: string }) => s.preference)).toEqual(["first", "last"]);
    expect(slots(ordered.body)).toEqual(["monday 9-10", "tuesday 14-15"]);
    const reversed = await get(app, "users=grace@example.com,ada@example.com");
    expect(slots(reversed.body)).toEqual(["tuesday 14-15", "monday 9-10"]);
    const withRandom = await get(app, "users=rosa@example.com,ada@example.com,grace@example.com&seed=x");
    expect(withRandom.body.suggestions.map((s: { preference: string }) => s.preference)).toEqual(["random", "first", "last"]);
    expect(new Set(slots(withRandom.body)).size).toBe(3);
  });

  test("a preference in the query overrides the stored ones", async () => {
    const { body } = await get(app, "users=ada@example.com,grace@example.com&preference=last");
    expect(body.suggestions).toHaveLength(1);
    expect(body.suggestions[0]).toMatchObject({ preference: "last", day: "tuesday", slot: [14, 15] });
  });

  test("below everyone, ranks slots by how many can attend, then by preference", async () => {
    const group = "users=p1@example.com,p2@example.com,p3@example.com";
    const { body } = await get(app, `${group}&min_attendees=2&limit=3`);
    expect(body.suggestions).toEqual([
      { day: "tuesday", slot: [8, 9], preference: "first", attendees: ["p1@example.com", "p2@example.com", "p3@example.com"], missing: [] },
      { day: "monday", slot: [9, 10], preference: "first", attendees: ["p1@example.com", "p2@example.com"], missing: ["p3@example.com"] },
      { day: "monday", slot: [10, 11], preference: "first", attendees: ["p1@example.com", "p3@example.com"], missing: ["p2@example.com"] },
    ]);
    expect(slots((await get(app, `${group}&min_attendees=2&limit=3&preference=last`)).body)).toEqual([
      "tuesday 8-9",
      "monday 10-11",
      "monday 9-10",
    ]);
    expect(slots((await get(app, `${group}&min_attendees=3&limit=3`)).body)).toEqual(["tuesday 8-9"]);
  });

  test("the same seed gives the same random answer, and seeds spread over the valid slots", async () => {
    const query = "users=w1@example.com,w2@example.com&preference=random&limit=5&duration=120";
    const first = await get(app, `${query}&seed=team-sync`);
    const again = await get(app, `${query}&seed=team-sync`);
    expect(again.body).toEqual(first.body);
    expect(new Set(slots(first.body)).size).toBe(5);
    const answers = new Set<string>();
    for (const seed of ["a", "b", "c", "d", "e"]) answers.add(JSON.stringify((await get(app, `${query}&seed=${seed}`)).body));
    expect(answers.size).toBeGreaterThan(1);
    for (const suggestion of first.body.suggestions) {
      expect(suggestion.slot[1] - suggestion.slot[0]).toBe(2);
      expect(suggestion.slot[1]).toBeLessThanOrEqual(24);
    }
  });

  test("asks availability once, for the members' weeks, passing the case id on", async () => {
    const before = availability.calls.length;
    const { status, headers } = await get(app, "users=Ada@example.com,bob@example.com", { "case-id": "case-suggest-1" });
    expect(status).toBe(200);
    expect(headers.get("case-id")).toBe("case-suggest-1");
    expect(availability.calls.slice(before)).toEqual([{ caseId: "case-suggest-1", users: "ada@example.com,bob@example.com" }]);
  });

  test("passes on a 404 naming the unknown users", async () => {
    const { status, headers, body } = await get(app, "users=ada@example.com,ghost@example.com,nobody@example.com", {
      "case-id": "case-404",
    });
    expect(status).toBe(404);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(body).toMatchObject({ status: 404, case_id: "case-404", missing: ["ghost@example.com", "nobody@example.com"] });
  });
});

describe("GET /suggestions, many at once", () => {
  const queries = [
    "users=ada@example.com,bob@example.com",
    "users=grace@example.com,Ada@example.com&preference=last",
    "users=p1@example.com,p2@example.com,p3@example.com&min_attendees=2",
    "users=w1@example.com,w2@example.com&duration=90&limit=3&seed=s",
  ];
  const together = (list: string[]) => Promise.all(list.map((query, i) => get(app, query, { "case-id": `case-many-${i}` })));

  test("the first request is read at once; those taken in with it read their members in one call, and each gets the answer it gets alone", async () => {
    const alone = [];
    for (const query of queries) alone.push((await get(app, query)).body);
    const before = availability.calls.length;
    const answers = await together(queries);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.body)).toEqual(alone);
    expect(answers.map((a) => a.headers.get("case-id"))).toEqual(["case-many-0", "case-many-1", "case-many-2", "case-many-3"]);
    // Two calls on two connections, which may arrive in either order.
    const calls = availability.calls.slice(before).sort((a, b) => a.users!.localeCompare(b.users!));
    expect(calls.map((c) => c.users)).toEqual([
      "ada@example.com,bob@example.com",
      "grace@example.com,ada@example.com,p1@example.com,p2@example.com,p3@example.com,w1@example.com,w2@example.com",
    ]);
    expect(calls[0]!.caseId).toBe("case-many-0");
    expect(calls[1]!.caseId).not.toMatch(/^case-many/);
  });

  test("a request naming an unknown user gets its own 404; those taken in with it are answered all the same", async () => {
    const before = availability.calls.length;
    const answers = await together([queries[0]!, "users=grace@example.com,ghost@example.com", queries[2]!, queries[3]!]);
    expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 200]);
    expect(answers[1]!.body).toMatchObject({
      case_id: "case-many-1",
      detail: "No user with email ghost@example.com",
      missing: ["ghost@example.com"],
    });
    // The first at once; the call for the other three; then, sent at once and so arriving in either order,
    // the unknown user's group alone under its case id and the others together.
    const calls = availability.calls.slice(before);
    expect(
      calls
        .slice(0, 2)
        .map((c) => c.users)
        .sort(),
    ).toEqual([
      "ada@example.com,bob@example.com",
      "grace@example.com,ghost@example.com,p1@example.com,p2@example.com,p3@example.com,w1@example.com,w2@example.com",
    ]);
    expect(
      calls
        .slice(2)
        .map((c) => [c.users, c.caseId === "case-many-1"])
        .sort(),
    ).toEqual([
      ["grace@example.com,ghost@example.com", true],
      ["p1@example.com,p2@example.com,p3@example.com,w1@example.com,w2@example.com", false],
    ]);
  });

  test("explanations and suggestions taken in together share the call", async () => {
    const before = availability.calls.length;
    const explained = (query: string) =>
      app
        .handle(jsonRequest("GET", `/suggestions/explain?${query}`))
        .then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const answers = await Promise.all([get(app, queries[0]!), explained(queries[1]!), get(app, queries[3]!)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[1]!.body).toMatchObject({ feasible: true, slots: 4 });
    expect(
      availability.calls
        .slice(before)
        .map((c) => c.users)
        .sort(),
    ).toEqual(["ada@example.com,bob@example.com", "grace@example.com,ada@example.com,w1@example.com,w2@example.com"]);
  });
});

describe("GET /suggestions with bad parameters", () => {
  const pair = "users=ada@example.com,bob@example.com";
  const crowd = Array.from({ length: 101 }, (_, i) => `u${i}@example.com`).join(",");
  test.each([
    ["a malformed email", "users=ada@example.com,not-an-email", ["users"]],
    ["a single user", "users=ada@example.com", ["users"]],
    ["101 users", `users=${crowd}`, ["users"]],
    ["no group", "duration=60", ["users"]],
    ["duration 50", `${pair}&duration=50`, ["duration"]],
    ["duration 10", `${pair}&duration=10`, ["duration"]],
    ["duration 1500", `${pair}&duration=1500`, ["duration"]],
    ["a duration that is not a number", `${pair}&duration=long`, ["duration"]],
    ["limit 0", `${pair}&limit=0`, ["limit"]],
    ["limit 51", `${pair}&limit=51`, ["limit"]],
    ["limit 2.5", `${pair}&limit=2.5`, ["limit"]],
    ["min_attendees 1", `${pair}&min_attendees=1`, ["min_attendees"]],
    ["min_attendees above the group", `${pair}&min_attendees=3`, ["min_attendees"]],
    ["an unknown preference", `${pair}&preference=soonest`, ["preference"]],
    ["a seed over 128 characters", `${pair}&preference=random&seed=${"s".repeat(129)}`, ["seed"]],
    ["several at once", "users=ada@example.com,nope&duration=50&limit=0&preference=soonest", ["limit", "preference", "users", "duration"]],
    ["min_attendees and duration together", `${pair}&min_attendees=5&duration=20`, ["duration", "min_attendees"]],
    ["an unknown parameter", `${pair}&limit=0&when=soon`, ["limit", "when"]],
  ])("answers 400 for %s, naming every offending field, without asking availability", async (_, query, fields) => {
    const before = availability.calls.length;
    const { status, body } = await get(app, query);
    expect(status).toBe(400);
    expect(body.type).toBe("urn:w2meet:problem:validation");
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...fields].sort());
    expect(availability.calls.length).toBe(before);
  });
});

describe("when the availability service fails", () => {
  const pair = "users=ada@example.com,bob@example.com";

  test("answers 503 at once when it is unreachable", async () => {
    const started = performance.now();
    const { status, body } = await get(appFor(closedPortUrl("http")), pair);
    expect(status).toBe(503);
    expect(body.detail).toContain("availability");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("answers 503 when it does not answer within AVAILABILITY_TIMEOUT_MS", async () => {
    const stalled = startFakeAvailability(people);
    stalled.hang();
    try {
      const started = performance.now();
      const { status, body } = await get(appFor(stalled.url, { AVAILABILITY_TIMEOUT_MS: "200" }), pair);
      expect(status).toBe(503);
      expect(body.detail).toContain("200 ms");
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await stalled.stop();
    }
  });

  test.each([503, 502, 504])("passes on its %i with its own problem details", async (code) => {
    const failing = startFakeAvailability(people);
    failing.failWith(code);
    try {
      const { status, headers, body } = await get(appFor(failing.url), pair, { "case-id": "case-down" });
      expect(status).toBe(code);
      expect(headers.get("content-type")).toBe("application/problem+json");
      expect(body).toMatchObject({ status: code, detail: `failing with ${code} on purpose`, case_id: "case-down" });
    } finally {
      await failing.stop();
    }
  });

  test.each([
    ["a 500", 500, { status: 500, detail: "boom" }],
    ["a 400", 400, { status: 400, detail: "bad" }],
    ["an error that is not problem details", 503, "<html>down</html>"],
    ["a 200 without the members", 200, { users: [] }],
  ])("answers 502 for %s", async (_, code, answer) => {
    const failing = startFakeAvailability(people);
    failing.failWith(code, answer);
    try {
      const { status, body } = await get(appFor(failing.url), pair);
      expect(status).toBe(502);
      expect(body.type).toBe("urn:w2meet:problem:bad-gateway");
    } finally {
      await failing.stop();
    }
  });
});

describe("GET /health", () => {
  test("is healthy while the availability service is live", async () => {
    const response = await app.handle(jsonRequest("GET", "/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "healthy", dependencies: { availability: { status: "up", required: true } } });
  });

  test("is unhealthy with 503 when the availability service is down", async () => {
    const response = await appFor(closedPortUrl("http")).handle(jsonRequest("GET", "/health"));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      service: "suggestions",
      status: "unhealthy",
      dependencies: { availability: { status: "down" } },
    });
  });
});
