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
    ["a duration that is not whole hours", { ...pair, duration: 90 }, ["duration"]],
    ["a duration below an hour", { ...pair, duration: 0 }, ["duration"]],
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
