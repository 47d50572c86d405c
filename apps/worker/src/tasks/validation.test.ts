import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { Problem } from "@w2meet/contracts";
import { bodyOf } from "../../test/http.ts";
import { startHttpApp, type HttpApp } from "../../test/http-app.ts";

let http: HttpApp;

beforeAll(async () => {
  http = await startHttpApp();
});

afterAll(() => http.close());

beforeEach(async () => {
  await http.db.sql`truncate tasks cascade`;
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
    ["a duration that is not whole hours", { ...pair, duration: 90 }, ["duration"]],
    ["a duration below an hour", { ...pair, duration: 0 }, ["duration"]],
    ["a duration longer than a day", { ...pair, duration: 1500 }, ["duration"]],
    ["a duration given as text", { ...pair, duration: "60" }, ["duration"]],
    ["a fractional duration", { ...pair, duration: 60.5 }, ["duration"]],
    ["an empty title", { ...pair, title: "" }, ["title"]],
    ["a title longer than 200 characters", { ...pair, title: "x".repeat(201) }, ["title"]],
    ["notify given as text", { ...pair, notify: "yes" }, ["notify"]],
    ["an unknown field", { ...pair, when: "soon" }, ["when"]],
    ["users given as a string", { users: "ada@example.com,grace@example.com" }, ["users"]],
    ["several bad fields at once", { ...pair, preference: "often", duration: 45, notify: 1 }, ["preference", "duration", "notify"]],
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

  test("answers 400 for a body that is not JSON, and writes nothing", async () => {
    const response = await http.app.handle(
      new Request("http://localhost/tasks", { method: "POST", headers: { "content-type": "application/json" }, body: "{users:" }),
    );
    expect(response.status).toBe(400);
    expect(await http.db.counts()).toEqual({ tasks: 0, outbox: 0, mails: 0 });
  });
});
