import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, startService, uniquePrefix, waitFor, type RunningService } from "@w2meet/testing";

// The whole path of a suggestion, as real processes: suggestions → availability → users → Postgres/Redis.
const entry = (app: string) => new URL(`../apps/${app}/src/index.ts`, import.meta.url).pathname;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let users: RunningService;
let availability: RunningService;
let suggestions: RunningService;

beforeAll(async () => {
  database = await createTestDatabase();
  users = await startService(entry("users"), {
    DATABASE_URL: database.url,
    REDIS_URL: "redis://127.0.0.1:6379",
    CACHE_PREFIX: `flow-${crypto.randomUUID()}:`,
    // Its person.changed events go to an exchange of the test's own, which nothing reads.
    QUEUE_PREFIX: uniquePrefix("flow"),
    LOG_LEVEL: "info",
  });
  availability = await startService(entry("availability"), { USERS_URL: users.url, LOG_LEVEL: "info" });
  suggestions = await startService(entry("suggestions"), { AVAILABILITY_URL: availability.url, LOG_LEVEL: "info" });
}, 60_000);

afterAll(async () => {
  await Promise.all([suggestions?.stop(), availability?.stop(), users?.stop()]);
  await database?.drop();
});

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

test("a group registered through the users service gets its common hours and first slot end to end", async () => {
  for (const email of ["Ada@Example.com", "grace@example.com"]) {
    const created = await fetch(`${users.url}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email,
        name: email.split("@")[0],
        availabilities: { tuesday: [14], monday: [11, 9, 10] },
        preference: "first",
      }),
    });
    expect(created.status).toBe(201);
  }

  const common = await json(await fetch(`${availability.url}/availability/common_availabilities?users=ada@example.com,grace@example.com`));
  expect(common.status).toBe(200);
  expect(common.body.common_availabilities).toEqual({
    monday: [9, 10, 11],
    tuesday: [14],
    wednesday: [],
    thursday: [],
    friday: [],
    saturday: [],
    sunday: [],
  });
  expect(common.body.intervals).toEqual([
    { day: "monday", start: 9, end: 12 },
    { day: "tuesday", start: 14, end: 15 },
  ]);

  // The members suggestions ranks are the users service's own answer, as it stored them.
  const stored = await json(await fetch(`${users.url}/users/availability?users=grace@example.com,ada@example.com`));
  const members = await json(await fetch(`${availability.url}/availability/members?users=Grace@example.com,ada@example.com`));
  expect(members.status).toBe(200);
  expect(members.body).toEqual({ users: ["grace@example.com", "ada@example.com"], members: stored.body.users });
  expect(members.body.members.map((member: { email: string }) => member.email)).toEqual(["grace@example.com", "ada@example.com"]);

  const suggested = await fetch(`${suggestions.url}/suggestions?userId1=ada@example.com&userId2=grace@example.com`, {
    headers: { "case-id": "flow-case-1" },
  });
  expect(suggested.headers.get("case-id")).toBe("flow-case-1");
  expect(await suggested.json()).toEqual({
    suggestions: [{ day: "monday", slot: [9, 10], preference: "first", attendees: ["ada@example.com", "grace@example.com"], missing: [] }],
  });
  // The case id reaches every hop and shows in each service's request log line.
  for (const service of [suggestions, availability, users]) {
    await waitFor(() => service.logs().includes('"case_id":"flow-case-1"'), { what: "the case id in the logs" });
  }
});

test("an unknown user is a 404 naming them, from availability and from suggestions", async () => {
  const query = "users=ada@example.com,nobody@example.com";
  const fromAvailability = await json(await fetch(`${availability.url}/availability/common_availabilities?${query}`));
  const members = await json(await fetch(`${availability.url}/availability/members?${query}`));
  const fromSuggestions = await json(await fetch(`${suggestions.url}/suggestions?${query}`));
  for (const answer of [fromAvailability, members, fromSuggestions]) {
    expect(answer.status).toBe(404);
    expect(answer.body.missing).toEqual(["nobody@example.com"]);
  }
});

test("suggestions asked at once are each answered as alone, and each case id leads to the calls made for it", async () => {
  const queries = Array.from({ length: 24 }, (_, i) =>
    i % 6 === 5
      ? "users=grace@example.com,nobody@example.com"
      : `users=ada@example.com,grace@example.com&preference=${i % 2 ? "last" : "first"}`,
  );
  const ask = (query: string, caseId?: string) =>
    fetch(`${suggestions.url}/suggestions?${query}`, { headers: caseId ? { "case-id": caseId } : {} }).then(json);
  const alone = new Map<string, Awaited<ReturnType<typeof ask>>>();
  for (const query of new Set(queries)) alone.set(query, await ask(query));
  const caseIds = queries.map((_, i) => `flow-at-once-${i}`);
  const answers = await Promise.all(queries.map((query, i) => ask(query, caseIds[i])));
  answers.forEach((answer, i) => {
    const expected = alone.get(queries[i]!)!;
    expect(answer.status).toBe(expected.status);
    expect(answer.body).toEqual(expected.status === 200 ? expected.body : { ...expected.body, case_id: caseIds[i] });
  });
  // A case id is either passed on as it is, or named in the line of a read made for several requests,
  // whose own case id the availability and users services log.
  const lines = (service: RunningService) =>
    service
      .logs()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
  await waitFor(() => lines(users).filter((line) => line.msg === "request").length > 0, { what: "the users service's request lines" });
  const together = lines(suggestions).filter((line) => line.msg === "members read together");
  for (const caseId of caseIds) {
    const read = together.find((line) => line.for.includes(caseId));
    const downstream = read ? read.case_id : caseId;
    for (const service of [availability, users]) {
      await waitFor(() => lines(service).some((line) => line.msg === "request" && line.case_id === downstream), {
        what: `${downstream} in the logs of ${service.url}`,
      });
    }
  }
});

test("with the users service stopped, availability and suggestions answer 503", async () => {
  await users.stop();
  const query = "users=ada@example.com,grace@example.com";
  const fromAvailability = await json(await fetch(`${availability.url}/availability/common_availabilities?${query}`));
  expect(fromAvailability.status).toBe(503);
  expect(fromAvailability.body.detail).toContain("users");
  const fromSuggestions = await json(await fetch(`${suggestions.url}/suggestions?${query}`));
  expect(fromSuggestions.status).toBe(503);
  expect(fromSuggestions.body.detail).toContain("users");
  // Health results are cached for a second, so the change may take that long to show.
  await waitFor(async () => (await fetch(`${availability.url}/health`)).status === 503, { what: "availability to report unhealthy" });
  await waitFor(async () => (await fetch(`${suggestions.url}/health`)).status === 200, { what: "suggestions to stay healthy" });
});
