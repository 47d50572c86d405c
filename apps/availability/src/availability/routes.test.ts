import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { closedPortUrl, jsonRequest, person, startFakeUsers, type FakeUsers } from "@w2meet/testing";
import { buildAvailabilityApp } from "../app.ts";
import { createAvailabilityClients } from "../clients.ts";
import { loadAvailabilityConfig } from "../config.ts";

const quiet = createLogger({ service: "availability", level: "error", sink: () => {} });

function appFor(usersUrl: string, env: Record<string, string> = {}) {
  const config = loadAvailabilityConfig({ USERS_URL: usersUrl, ...env });
  return buildAvailabilityApp(config, createAvailabilityClients(config, quiet));
}

async function get(app: ReturnType<typeof appFor>, path: string, headers: Record<string, string> = {}) {
  const response = await app.handle(jsonRequest("GET", path, undefined, headers));
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const ada = person("ada@example.com", { monday: [9, 10, 11, 15], tuesday: [14] }, "first");
const grace = person("grace@example.com", { monday: [8, 9, 10, 11], tuesday: [14, 15] }, "last");
const linus = person("linus@example.com", { monday: [10], wednesday: [3] }, "random");
const alan = person("alan@example.com", { sunday: [23] });

let users: FakeUsers;
let app: ReturnType<typeof appFor>;
beforeAll(() => {
  users = startFakeUsers([ada, grace, linus, alan]);
  app = appFor(users.url);
});
afterAll(() => users.stop());

describe("GET /availability/common_availabilities", () => {
  test("answers the hours two people are both free, as a week and as intervals", async () => {
    const { status, body } = await get(app, "/availability/common_availabilities?users=ada@example.com,grace@example.com");
    expect(status).toBe(200);
    expect(body).toEqual({
      users: ["ada@example.com", "grace@example.com"],
      common_availabilities: { monday: [9, 10, 11], tuesday: [14], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] },
      intervals: [
        { day: "monday", start: 9, end: 12 },
        { day: "tuesday", start: 14, end: 15 },
      ],
      preferences: { "ada@example.com": "first", "grace@example.com": "last" },
    });
  });

  test("lists the group lower-cased, in request order, without repeats", async () => {
    const { body } = await get(app, "/availability/common_availabilities?users=Grace@Example.com,%20ada@example.com,grace@example.com");
    expect(body.users).toEqual(["grace@example.com", "ada@example.com"]);
    expect(users.calls.at(-1)!.users).toBe("grace@example.com,ada@example.com");
  });

  test("accepts the seed system's userId1 and userId2", async () => {
    const { status, body } = await get(app, "/availability/common_availabilities?userId1=ada@example.com&userId2=linus@example.com");
    expect(status).toBe(200);
    expect(body.intervals).toEqual([{ day: "monday", start: 10, end: 11 }]);
  });

  test("adds every member's week and preference with include=members", async () => {
    const { body } = await get(app, "/availability/common_availabilities?users=grace@example.com,ada@example.com&include=members");
    expect(body.members).toEqual([grace, ada]);
    const without = await get(app, "/availability/common_availabilities?users=grace@example.com,ada@example.com");
    expect(without.body.members).toBeUndefined();
  });

  test("fetches the whole group from the users service in one call, passing the case id on", async () => {
    const before = users.calls.length;
    const { headers } = await get(app, "/availability/common_availabilities?users=ada@example.com,grace@example.com,linus@example.com", {
      "case-id": "case-common-1",
    });
    expect(headers.get("case-id")).toBe("case-common-1");
    expect(users.calls.slice(before)).toEqual([{ caseId: "case-common-1", users: "ada@example.com,grace@example.com,linus@example.com" }]);
  });

  test("answers an empty week and no intervals when the group shares no hour", async () => {
    const { body } = await get(app, "/availability/common_availabilities?users=ada@example.com,grace@example.com,alan@example.com");
    expect(Object.values(body.common_availabilities).flat()).toEqual([]);
    expect(body.intervals).toEqual([]);
  });

  test("answers 404 naming every unknown user in missing", async () => {
    const { status, headers, body } = await get(
      app,
      "/availability/common_availabilities?users=ada@example.com,nobody@example.com,ghost@example.com",
    );
    expect(status).toBe(404);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(body.missing).toEqual(["nobody@example.com", "ghost@example.com"]);
  });

  test.each([
    ["a malformed email", "users=ada@example.com,not-an-email", "users"],
    ["a single user", "users=ada@example.com", "users"],
    ["one user named twice", "users=ada@example.com,ADA@example.com", "users"],
    ["101 users", `users=${Array.from({ length: 101 }, (_, i) => `u${i}@example.com`).join(",")}`, "users"],
    ["no group at all", "", "users"],
    ["userId1 without userId2", "userId1=ada@example.com", "userId2"],
    ["an unknown include", "users=ada@example.com,grace@example.com&include=everything", "include"],
  ])("answers 400 for %s, naming the field", async (_, query, field) => {
    const { status, body } = await get(app, `/availability/common_availabilities?${query}`);
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  test("accepts a group of 100 users", async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => person(`p${i}@example.com`, { friday: [9, 10, 17] }));
    const crowd = startFakeUsers(hundred);
    try {
      const { status, body } = await get(
        appFor(crowd.url),
        `/availability/common_availabilities?users=${hundred.map((p) => p.email).join(",")}`,
      );
      expect(status).toBe(200);
      expect(body.intervals).toEqual([
        { day: "friday", start: 9, end: 11 },
        { day: "friday", start: 17, end: 18 },
      ]);
    } finally {
      await crowd.stop();
    }
  });
});

describe("GET /availability/members", () => {
  test("answers each member as the users service stores them, in request order, and nothing computed", async () => {
    const before = users.calls.length;
    const { status, headers, body } = await get(app, "/availability/members?users=Grace@example.com,ada@example.com,linus@example.com", {
      "case-id": "case-members-1",
    });
    expect(status).toBe(200);
    expect(headers.get("case-id")).toBe("case-members-1");
    expect(body).toEqual({ users: ["grace@example.com", "ada@example.com", "linus@example.com"], members: [grace, ada, linus] });
    expect(users.calls.slice(before)).toEqual([{ caseId: "case-members-1", users: "grace@example.com,ada@example.com,linus@example.com" }]);
  });

  test("answers 404 naming every unknown user, and 400 naming a bad group", async () => {
    const unknown = await get(app, "/availability/members?users=ada@example.com,ghost@example.com,nobody@example.com");
    expect(unknown.status).toBe(404);
    expect(unknown.body.missing).toEqual(["ghost@example.com", "nobody@example.com"]);
    for (const query of ["users=ada@example.com", "users=ada@example.com,not-an-email", ""]) {
      const { status, body } = await get(app, `/availability/members?${query}`);
      expect(status).toBe(400);
      expect(body.errors.map((e: { path: string }) => e.path)).toContain("users");
    }
  });

  test("answers the same members when the users service lays its answer out otherwise, and 502 for one that is not JSON", async () => {
    const other = startFakeUsers([ada, grace]);
    try {
      other.answerWith(
        () =>
          new Response(JSON.stringify({ missing: [], users: [grace, ada] }, null, 2), { headers: { "content-type": "application/json" } }),
      );
      const laidOut = await get(appFor(other.url), "/availability/members?users=grace@example.com,ada@example.com");
      expect(laidOut.status).toBe(200);
      expect(laidOut.body).toEqual({ users: ["grace@example.com", "ada@example.com"], members: [grace, ada] });
      other.answerWith(
        () =>
          new Response(JSON.stringify({ missing: ["ghost@example.com"], users: [ada] }), {
            headers: { "content-type": "application/json" },
          }),
      );
      const missing = await get(appFor(other.url), "/availability/members?users=ada@example.com,ghost@example.com");
      expect(missing.status).toBe(404);
      expect(missing.body.missing).toEqual(["ghost@example.com"]);
      other.answerWith(() => new Response('{"users":[oops', { headers: { "content-type": "application/json" } }));
      const broken = await get(appFor(other.url), "/availability/members?users=grace@example.com,ada@example.com");
      expect(broken.status).toBe(502);
      expect(broken.body.type).toBe("urn:w2meet:problem:bad-gateway");
    } finally {
      await other.stop();
    }
  });

  test("answers 503 when the users service is unreachable", async () => {
    const { status, body } = await get(appFor(closedPortUrl("http")), "/availability/members?users=ada@example.com,grace@example.com");
    expect(status).toBe(503);
    expect(body.detail).toContain("users");
  });
});

describe("GET /availability/heatmap", () => {
  test("counts, and names, who is free at each hour", async () => {
    const { status, body } = await get(app, "/availability/heatmap?users=ada@example.com,grace@example.com,linus@example.com");
    expect(status).toBe(200);
    expect(body.users).toEqual(["ada@example.com", "grace@example.com", "linus@example.com"]);
    expect(body.slots.monday).toHaveLength(24);
    expect(body.slots.monday.slice(8, 12)).toEqual([1, 2, 3, 2]);
    expect(body.free.monday[10]).toEqual(["ada@example.com", "grace@example.com", "linus@example.com"]);
    expect(body.free.wednesday[3]).toEqual(["linus@example.com"]);
    expect(body.slots.sunday).toEqual(new Array(24).fill(0));
  });

  test("answers 404 for an unknown user and 400 for a bad group", async () => {
    expect((await get(app, "/availability/heatmap?users=ada@example.com,ghost@example.com")).body.missing).toEqual(["ghost@example.com"]);
    expect((await get(app, "/availability/heatmap?users=ada@example.com")).status).toBe(400);
  });
});

describe("when the users service fails", () => {
  test("answers 503 at once when it is unreachable", async () => {
    const started = performance.now();
    const { status, body } = await get(
      appFor(closedPortUrl("http")),
      "/availability/common_availabilities?users=ada@example.com,grace@example.com",
    );
    expect(status).toBe(503);
    expect(body.detail).toContain("users");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("answers 503 when it does not answer within USERS_TIMEOUT_MS", async () => {
    const stalled = startFakeUsers([ada, grace]);
    stalled.hang();
    try {
      const started = performance.now();
      const { status, body } = await get(
        appFor(stalled.url, { USERS_TIMEOUT_MS: "200" }),
        "/availability/heatmap?users=ada@example.com,grace@example.com",
      );
      expect(status).toBe(503);
      expect(body.detail).toContain("200 ms");
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await stalled.stop();
    }
  });

  test.each([500, 400])("answers 502 when it answers %i", async (answer) => {
    const failing = startFakeUsers([ada, grace]);
    failing.failWith(answer);
    try {
      const { status, body } = await get(
        appFor(failing.url),
        "/availability/common_availabilities?users=ada@example.com,grace@example.com",
      );
      expect(status).toBe(502);
      expect(body.type).toBe("urn:w2meet:problem:bad-gateway");
    } finally {
      await failing.stop();
    }
  });

  test("passes on its 503, naming what failed behind it, with this request's case id", async () => {
    const failing = startFakeUsers([ada, grace]);
    failing.failWith(503, {
      type: "urn:w2meet:problem:unavailable",
      title: "Service unavailable",
      status: 503,
      detail: "The users database did not answer within 1500 ms",
      case_id: "theirs",
    });
    try {
      const { status, body } = await get(appFor(failing.url), "/availability/heatmap?users=ada@example.com,grace@example.com", {
        "case-id": "ours",
      });
      expect(status).toBe(503);
      expect(body).toMatchObject({
        type: "urn:w2meet:problem:unavailable",
        detail: "The users database did not answer within 1500 ms",
        case_id: "ours",
      });
    } finally {
      await failing.stop();
    }
  });
});

describe("GET /health", () => {
  test("is healthy while the users service is live", async () => {
    const { status, body } = await get(app, "/health");
    expect(status).toBe(200);
    expect(body.dependencies.users).toMatchObject({ status: "up", required: true });
  });

  test("is unhealthy with 503 when the users service is down", async () => {
    const { status, body } = await get(appFor(closedPortUrl("http")), "/health");
    expect(status).toBe(503);
    expect(body).toMatchObject({ service: "availability", status: "unhealthy", dependencies: { users: { status: "down" } } });
  });
});
