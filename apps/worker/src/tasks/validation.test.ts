import { describe, expect, test } from "bun:test";
import type { Problem } from "@w2meet/contracts";
import { bodyOf } from "@w2meet/testing";
import { type HttpApp, useHttpApp } from "../../test/http-app.ts";

let http: HttpApp;
useHttpApp((started) => {
  http = started;
});

const pair = { users: ["ada@example.com", "grace@example.com"] };

describe("POST /tasks with invalid input", () => {
  const many = Array.from({ length: 101 }, (_, i) => `person${i}@example.com`);
  const cases: [string, unknown, string[], Record<string, string>?][] = [
    ["no attendees at all", { duration: 60 }, ["users"]],
    ["a single distinct attendee", { users: ["ada@example.com", "ADA@example.com"] }, ["users"]],
    ["more than 100 distinct attendees", { users: many }, ["users"]],
    ["an attendee that is not an email", { users: ["ada@example.com", "not-an-email"] }, ["users[1]"]],
    ["userId1 without userId2", { userId1: "ada@example.com" }, ["userId2"]],
    ["a userId that is not an email", { userId1: "ada@example.com", userId2: "grace" }, ["userId2"]],
    ["an unknown preference", { ...pair, preference: "sometimes" }, ["preference"]],
    ["a duration off the quarter hour", { ...pair, duration: 50 }, ["duration"]],
    ["a duration below 15 minutes", { ...pair, duration: 10 }, ["duration"]],
    ["a duration of nothing", { ...pair, duration: 0 }, ["duration"]],
    ["a duration longer than a day", { ...pair, duration: 1500 }, ["duration"]],
    ["a duration given as text", { ...pair, duration: "60" }, ["duration"]],
    ["a fractional duration", { ...pair, duration: 60.5 }, ["duration"]],
    ["an empty title", { ...pair, title: "" }, ["title"]],
    ["a title longer than 200 characters", { ...pair, title: "x".repeat(201) }, ["title"]],
    ["a title with a NUL character", { ...pair, title: "Review\u0000" }, ["title"]],
    ["a title with a line break", { ...pair, title: "Review\nnow" }, ["title"]],
    ["a title with DEL", { ...pair, title: "Review\u007f" }, ["title"]],
    ["a title with a C1 control", { ...pair, title: "Review\u0085" }, ["title"]],
    ["a title with a bidi override", { ...pair, title: "Review \u202egnp.exe" }, ["title"]],
    ["a title with a bidi isolate", { ...pair, title: "\u2066Review\u2069" }, ["title"]],
    ["a blank title", { ...pair, title: " \u00a0\u3000 " }, ["title"]],
    ["a title of 60 KB", { ...pair, title: "x".repeat(60_000) }, ["title"]],
    ["a list of 10,000 attendees", { users: Array(10_000).fill(1) }, ["users"]],
    ["notify given as text", { ...pair, notify: "yes" }, ["notify"]],
    ["an unknown field", { ...pair, when: "soon" }, ["when"]],
    ["users given as a string", { users: "ada@example.com,grace@example.com" }, ["users"]],
    ["a from that is not a date", { ...pair, from: "next monday" }, ["from"]],
    ["a from that is no real date", { ...pair, from: "2026-02-30" }, ["from"]],
    ["a from at an hour that does not exist", { ...pair, from: "2026-11-23T25:00:00Z" }, ["from"]],
    ["a from with a malformed offset", { ...pair, from: "2026-11-23T09:00:00+1" }, ["from"]],
    ["a from decades ago", { ...pair, from: "1999-01-01" }, ["from"]],
    ["a from years ahead", { ...pair, from: "2099-01-01T00:00:00Z" }, ["from"]],
    ["a from longer than 40 characters", { ...pair, from: `2026-11-23T09:00:00.${"0".repeat(30)}Z` }, ["from"]],
    ["a from given as a number", { ...pair, from: 20261123 }, ["from"]],
    ["no days", { ...pair, days: 0 }, ["days"]],
    ["more than 28 days", { ...pair, days: 29 }, ["days"]],
    ["days given as text", { ...pair, days: "7" }, ["days"]],
    ["fractional days", { ...pair, days: 1.5 }, ["days"]],
    ["an unknown time zone", { ...pair, tz: "Mars/Olympus_Mons" }, ["tz"]],
    ["an offset instead of a time zone", { ...pair, tz: "+01:00" }, ["tz"]],
    ["an empty time zone", { ...pair, tz: "" }, ["tz"]],
    ["an at off the quarter hour", { ...pair, at: "2026-11-23T09:05:00Z" }, ["at"]],
    ["an at that is a date only", { ...pair, at: "2026-11-23" }, ["at"]],
    ["an at that is no date-time", { ...pair, at: "tomorrow at nine" }, ["at"]],
    ["an at years ahead", { ...pair, at: "2099-01-01T09:00:00Z" }, ["at"]],
    ["an at with from", { ...pair, at: "2026-11-23T09:00:00Z", from: "2026-11-23" }, ["at"]],
    ["an at with days", { ...pair, at: "2026-11-23T09:00:00Z", days: 3 }, ["at"]],
    ["an at given as a number", { ...pair, at: 9 }, ["at"]],
    ["a bad from along with bad attendees", { users: ["ada@example.com"], from: "soon" }, ["users", "from"]],
    ["a required entry that is not an email", { ...pair, required: ["ada@example.com", "grace"] }, ["required[1]"]],
    ["required given as a string", { ...pair, required: "ada@example.com" }, ["required"]],
    ["more than 100 required", { ...pair, required: many }, ["required"]],
    ["min_attendees of one", { ...pair, min_attendees: 1 }, ["min_attendees"]],
    ["min_attendees given as text", { ...pair, min_attendees: "2" }, ["min_attendees"]],
    ["min_attendees above the group's size", { ...pair, min_attendees: 3 }, ["min_attendees"]],
    [
      "min_attendees above the group's size, with required people, along with a bad from",
      { users: ["ada@example.com"], required: ["grace@example.com"], min_attendees: 3, from: "soon" },
      ["min_attendees", "from"],
    ],
    ["required people that leave the group too large", { users: many.slice(0, 100), required: ["ada@example.com"] }, ["users"]],
    ["several bad fields at once", { ...pair, preference: "often", duration: 50, notify: 1 }, ["preference", "duration", "notify"]],
    ["an Idempotency-Key with spaces", pair, ["idempotency-key"], { "idempotency-key": "two words" }],
    ["an Idempotency-Key longer than 255 characters", pair, ["idempotency-key"], { "idempotency-key": "k".repeat(256) }],
  ];

  for (const [what, body, paths, headers] of cases) {
    test(`answers 400 naming ${paths.join(", ")} for ${what}, and writes nothing`, async () => {
      const response = await http.post(body, headers);
      expect(response.status).toBe(400);
      const problem = await bodyOf<Problem>(response);
      expect(problem).toMatchObject({ status: 400, type: "urn:w2meet:problem:validation", case_id: expect.any(String) });
      for (const path of paths) expect(problem.errors?.map((error) => error.path)).toContain(path);
      expect(await http.db.counts()).toEqual({ tasks: 0, outbox: 0, mails: 0 });
    });
  }

  test("answers 400 naming title for a title nested 32,000 deep, and writes nothing", async () => {
    const deep = "[".repeat(32_000) + "]".repeat(32_000);
    const response = await http.app.handle(
      new Request("http://localhost/tasks", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"users":["ada@example.com","grace@example.com"],"title":${deep}}`,
      }),
    );
    expect(response.status).toBe(400);
    const problem = await bodyOf<Problem>(response);
    expect(problem.errors?.[0]?.path).toStartWith("title[0]");
    expect(problem.case_id).toBe(response.headers.get("case-id")!);
    expect(await http.db.counts()).toEqual({ tasks: 0, outbox: 0, mails: 0 });
  });

  test("accepts durations on the quarter hour, from 15 minutes to a day", async () => {
    for (const duration of [15, 45, 90, 1425, 1440]) expect((await http.post({ ...pair, duration })).status).toBe(202);
  });

  test("accepts a from as a date, an instant with an offset or Z, or a wall-clock time in tz; and 1 to 28 days", async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const from of [today, `${today}T09:00:00Z`, `${today}T09:00:00+05:30`, `${today}T09:15`, `${today}T09:00:00.123Z`]) {
      expect((await http.post({ ...pair, from, tz: "Asia/Kolkata" })).status).toBe(202);
    }
    for (const days of [1, 28]) expect((await http.post({ ...pair, days })).status).toBe(202);
  });

  test("accepts a title in any script, with inner and outer spaces", async () => {
    const response = await http.post({ ...pair, title: " Revue de conception: Zoë & 李雷 😀 " });
    expect(response.status).toBe(202);
  });

  test("answers 400 for a body that is not JSON, and writes nothing", async () => {
    const response = await http.app.handle(
      new Request("http://localhost/tasks", { method: "POST", headers: { "content-type": "application/json" }, body: "{users:" }),
    );
    expect(response.status).toBe(400);
    expect(await http.db.counts()).toEqual({ tasks: 0, outbox: 0, mails: 0 });
  });
});
