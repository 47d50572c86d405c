import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { jsonRequest } from "@w2meet/testing";
import { ada, adminToken, bearer, clearCache, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let app: ReturnType<typeof usersApp>["app"];
let users: ReturnType<typeof usersApp>;
let redis: ReturnType<typeof usersApp>["redis"];
let asAdmin: Record<string, string>;
const prefix = uniquePrefix();

beforeAll(async () => {
  db = await usersDatabase();
  users = usersApp({ sql: db.sql, prefix });
  ({ app, redis } = users);
  await users.cacheReady();
  asAdmin = bearer(await adminToken(app));
});
afterAll(async () => {
  await users.close();
  await db.close();
});
beforeEach(async () => {
  await db.sql`delete from users`;
  await clearCache(redis, prefix);
});

const call = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
  const response = await app.handle(jsonRequest(method, path, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};
const emptyWeek = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
const userCount = async () => Number((await db.sql`select count(*)::int as n from users`)[0]!.n);

describe("POST /users", () => {
  test("creates a user with a lower-cased email, a full sorted week and timestamps", async () => {
    const { status, body } = await call("POST", "/users", ada);
    expect(status).toBe(201);
    expect(body.email).toBe("ada@example.com");
    expect(body.availabilities).toEqual({ ...emptyWeek, monday: [9, 10, 11], tuesday: [14] });
    expect(Object.keys(body.availabilities)).toEqual(Object.keys(emptyWeek));
    expect(body.preference).toBe("last");
    expect(body).toMatchObject({ protected: false, email_verified: false, if_needed: emptyWeek, time_zone: "UTC" });
    expect(new Date(body.created_at).toISOString()).toBe(body.created_at);
  });

  test("defaults to no free hours and the first slot", async () => {
    const { body } = await call("POST", "/users", { email: "bob@example.com", name: "Bob" });
    expect(body.availabilities).toEqual(emptyWeek);
    expect(body.preference).toBe("first");
  });

  test("answers 409 for an email taken in another letter case", async () => {
    await call("POST", "/users", ada);
    const { status, body, headers } = await call("POST", "/users", { ...ada, email: "ADA@example.COM" });
    expect(status).toBe(409);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(body.status).toBe(409);
  });

  test("lets exactly one of two racing creates of the same email win", async () => {
    const results = await Promise.all([call("POST", "/users", ada), call("POST", "/users", { ...ada, email: "ada@EXAMPLE.com" })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await userCount()).toBe(1);
  });

  test("answers 400 naming every offending field and writes nothing", async () => {
    const { status, body } = await call("POST", "/users", {
      email: "not-an-email",
      name: "",
      availabilities: { funday: [1], monday: [24, 1.5, "3"] },
      preference: "soon",
    });
    expect(status).toBe(400);
    expect(body.type).toBe("urn:w2meet:problem:validation");
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual([
      "email",
      "name",
      "availabilities.funday",
      "availabilities.monday[0]",
      "availabilities.monday[1]",
      "availabilities.monday[2]",
      "preference",
    ]);
    expect(body.errors.find((e: { path: string }) => e.path === "preference").message).toBe("Expected one of: first, last, random");
    expect(await userCount()).toBe(0);
  });

  test("answers 400 for a body that is not JSON", async () => {
    const response = await app.handle(
      new Request("http://localhost/users", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" }),
    );
    expect(response.status).toBe(400);
  });

  test("answers 413 for a body over 64 KB", async () => {
    const body = JSON.stringify({ ...ada, name: "x".repeat(70_000) });
    const response = await app.handle(
      new Request("http://localhost/users", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(body.length) },
        body,
      }),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { status: number }).status).toBe(413);
    expect(await userCount()).toBe(0);
  });

  test("answers 413 (not 400) whatever the body says once it is too large", async () => {
    const { status, body } = await call("POST", "/users", { ...ada, name: "x".repeat(70_000) }, { "content-length": "70100" });
    expect(status).toBe(413);
    expect(body.status).toBe(413);
  });
});

describe("GET /users", () => {
  test("pages through every user in email order with a cursor", async () => {
    const emails = ["c@x.io", "a@x.io", "e@x.io", "b@x.io", "d@x.io"];
    for (const email of emails) await call("POST", "/users", { email, name: email });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await call("GET", `/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`, undefined, asAdmin);
      expect(status).toBe(200);
      expect(body.users.length).toBeLessThanOrEqual(2);
      seen.push(...body.users.map((u: { email: string }) => u.email));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...emails].sort());
  });

  test("answers 400 for a limit outside 1 to 100", async () => {
    for (const limit of ["0", "101", "2.5", "x"]) {
      const { status, body } = await call("GET", `/users?limit=${limit}`, undefined, asAdmin);
      expect(status).toBe(400);
      expect(body.errors[0].path).toBe("limit");
    }
  });
});

describe("GET, PUT and DELETE /users/{email}", () => {
  test("returns a user by email in any letter case", async () => {
    await call("POST", "/users", ada);
    const { status, body } = await call("GET", "/users/ADA@example.com");
    expect(status).toBe(200);
    expect(body.name).toBe("Ada Lovelace");
    expect(body).toMatchObject({ protected: false, email_verified: false });
  });

  test("returns 404 for an unknown user and 400 for a malformed email", async () => {
    expect((await call("GET", "/users/nobody@example.com")).status).toBe(404);
    const bad = await call("GET", "/users/nobody");
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("email");
  });

  test("replaces name, week and preference", async () => {
    await call("POST", "/users", ada);
    const { status, body } = await call("PUT", "/users/ada@example.com", {
      name: "Ada",
      availabilities: { friday: [8] },
      preference: "random",
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "Ada", availabilities: { ...emptyWeek, friday: [8] }, preference: "random" });
    expect(body.updated_at >= body.created_at).toBe(true);
  });

  test("answers 404 to a PUT of an unknown user and 400 to an incomplete body without writing", async () => {
    expect((await call("PUT", "/users/nobody@example.com", { name: "N", availabilities: {}, preference: "first" })).status).toBe(404);
    await call("POST", "/users", ada);
    const { status, body } = await call("PUT", "/users/ada@example.com", { name: "Changed" });
    expect(status).toBe(400);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(["availabilities", "preference"]);
    expect((await call("GET", "/users/ada@example.com")).body.name).toBe("Ada Lovelace");
  });

  test("deletes a user, then answers 404", async () => {
    await call("POST", "/users", ada);
    const deleted = await app.handle(jsonRequest("DELETE", "/users/ada@example.com"));
    expect(deleted.status).toBe(204);
    expect((await call("DELETE", "/users/ada@example.com")).status).toBe(404);
    expect((await call("GET", "/users/ada@example.com")).status).toBe(404);
  });
});

describe("time zones, if-needed time and ranges", () => {
  const pathsOf = (body: { errors: { path: string }[] }) => body.errors.map((error) => error.path);

  test("a person is in UTC until they say otherwise, and their zone is kept in the database's spelling", async () => {
    expect((await call("POST", "/users", ada)).body.time_zone).toBe("UTC");
    const created = await call("POST", "/users", { email: "bob@example.com", name: "Bob", time_zone: "europe/berlin" });
    expect(created.status).toBe(201);
    expect(created.body.time_zone).toBe("Europe/Berlin");
    expect((await call("GET", "/users/bob@example.com")).body.time_zone).toBe("Europe/Berlin");
    expect((await call("GET", "/users/bob@example.com/availability")).body.time_zone).toBe("Europe/Berlin");
  });

  test("answers 400 naming time_zone for a zone that does not exist, on POST and PUT, writing nothing", async () => {
    for (const time_zone of ["Mars/Olympus_Mons", "+01:00", ""]) {
      const { status, body } = await call("POST", "/users", { ...ada, time_zone });
      expect(status).toBe(400);
      expect(pathsOf(body)).toEqual(["time_zone"]);
    }
    expect(await userCount()).toBe(0);
    await call("POST", "/users", { ...ada, time_zone: "Asia/Tokyo" });
    const put = await call("PUT", "/users/ada@example.com", { name: "Ada", availabilities: {}, preference: "first", time_zone: "Nowhere" });
    expect(put.status).toBe(400);
    expect(pathsOf(put.body)).toEqual(["time_zone"]);
    expect((await call("GET", "/users/ada@example.com")).body).toMatchObject({ name: "Ada Lovelace", time_zone: "Asia/Tokyo" });
  });

  test("takes ranges on the 15-minute grid, merged, and answers a day of whole hours as start hours, as always", async () => {
    const { status, body } = await call("POST", "/users", {
      ...ada,
      availabilities: { monday: ["09:00-10:30", "10:15-11:15", 14], tuesday: ["09:00-11:00", 11], friday: ["22:45-24:00"] },
    });
    expect(status).toBe(201);
    expect(body.availabilities).toEqual({
      ...emptyWeek,
      monday: ["09:00-11:15", "14:00-15:00"],
      tuesday: [9, 10, 11],
      friday: ["22:45-24:00"],
    });
    expect((await call("GET", "/users/ada@example.com/availability")).body.availabilities).toEqual(body.availabilities);
  });

  test("answers 400 naming every range that ends before it starts, in both weeks, writing nothing", async () => {
    const { status, body } = await call("POST", "/users", {
      ...ada,
      availabilities: { monday: ["10:00-09:00"], sunday: [9, "12:00-12:00"] },
      if_needed: { friday: [9, 10, "18:00-17:45"] },
    });
    expect(status).toBe(400);
    expect(pathsOf(body)).toEqual(["availabilities.monday[0]", "availabilities.sunday[1]", "if_needed.friday[2]"]);
    expect(body.errors[0].message).toContain("end after it starts");
    expect(await userCount()).toBe(0);
    await call("POST", "/users", ada);
    const put = await call("PUT", "/users/ada@example.com", {
      name: "Ada",
      availabilities: { monday: ["11:00-10:00"] },
      preference: "first",
    });
    expect(put.status).toBe(400);
    expect(pathsOf(put.body)).toEqual(["availabilities.monday[0]"]);
    expect((await call("GET", "/users/ada@example.com")).body.name).toBe("Ada Lovelace");
  });

  test("keeps if-needed time apart, without the time that is also available", async () => {
    const { body } = await call("POST", "/users", {
      ...ada,
      availabilities: { monday: [9, 10] },
      if_needed: { monday: ["09:30-12:00"], friday: ["16:00-17:30"] },
    });
    expect(body.if_needed).toEqual({ ...emptyWeek, monday: [11], friday: ["16:00-17:30"] });
    const [row] = await db.sql`select if_needed from users where email = 'ada@example.com'`;
    expect(row!.if_needed.monday).toEqual([11]);
    const put = await call("PUT", "/users/ada@example.com", {
      name: "Ada",
      availabilities: { friday: ["16:30-18:00"] },
      if_needed: { friday: [16, 17, 18] },
      preference: "first",
    });
    expect(put.body.if_needed).toEqual({ ...emptyWeek, friday: ["16:00-16:30", "18:00-19:00"] });
    const group = await call("GET", "/users/availability?users=ada@example.com,bob@example.com");
    expect(group.body.users[0].if_needed).toEqual(put.body.if_needed);
  });

  test("a PUT without time_zone or if_needed keeps them, as older clients send neither", async () => {
    await call("POST", "/users", { ...ada, time_zone: "America/Sao_Paulo", if_needed: { saturday: [10, 11] } });
    const kept = await call("PUT", "/users/ada@example.com", { name: "Ada", availabilities: { saturday: [11] }, preference: "first" });
    expect(kept.status).toBe(200);
    // Kept, less the hour now available.
    expect(kept.body).toMatchObject({ time_zone: "America/Sao_Paulo", if_needed: { ...emptyWeek, saturday: [10] } });
    const changed = await call("PUT", "/users/ada@example.com", {
      name: "Ada",
      availabilities: {},
      if_needed: {},
      time_zone: "pacific/auckland",
      preference: "first",
    });
    expect(changed.body).toMatchObject({ time_zone: "Pacific/Auckland", if_needed: emptyWeek });
    const read = (await call("GET", "/users/ada@example.com/availability")).body;
    expect(read.time_zone).toBe("Pacific/Auckland");
    expect(read.if_needed).toBeUndefined();
  });
});

describe("availability reads", () => {
  test("misses, then hits the cache without querying Postgres", async () => {
    await call("POST", "/users", ada);
    await clearCache(redis, prefix);
    const miss = await call("GET", "/users/ada@example.com/availability");
    expect(miss.status).toBe(200);
    expect(miss.headers.get("x-cache")).toBe("MISS");
    // In UTC, with weekly hours alone: the answer it always was, nothing about zones, if-needed or exceptions.
    expect(miss.body).toEqual({
      email: "ada@example.com",
      availabilities: { ...emptyWeek, monday: [9, 10, 11], tuesday: [14] },
      preference: "last",
    });
    const before = db.counter.queries;
    const hit = await call("GET", "/users/ADA@example.com/availability");
    expect(hit.headers.get("x-cache")).toBe("HIT");
    expect(hit.body).toEqual(miss.body);
    expect(db.counter.queries).toBe(before);
  });

  test("returns 404 for the availability of an unknown user", async () => {
    expect((await call("GET", "/users/nobody@example.com/availability")).status).toBe(404);
  });

  test("reads a group in request order, lists the unknown, and serves a cached group without Postgres", async () => {
    await call("POST", "/users", ada);
    await call("POST", "/users", { email: "bob@example.com", name: "Bob", availabilities: { monday: [9] } });
    const path = "/users/availability?users=bob@example.com,ADA@example.com,zed@example.com,bob@example.com";
    const first = await call("GET", path);
    expect(first.status).toBe(200);
    expect(first.body.users.map((u: { email: string }) => u.email)).toEqual(["bob@example.com", "ada@example.com"]);
    expect(first.body.missing).toEqual(["zed@example.com"]);
    const before = db.counter.queries;
    const cached = await call("GET", "/users/availability?users=ada@example.com,bob@example.com");
    expect(cached.body.missing).toEqual([]);
    expect(db.counter.queries).toBe(before);
  });

  test("accepts the seed system's userId1 and userId2", async () => {
    await call("POST", "/users", ada);
    const { status, body } = await call("GET", "/users/availability?userId1=ada@example.com&userId2=bob@example.com");
    expect(status).toBe(200);
    expect(body.missing).toEqual(["bob@example.com"]);
  });

  test("answers 400 unless 2 to 100 distinct emails are named", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `p${i}@example.com`).join(",");
    for (const query of ["users=a@x.io", "users=a@x.io,A@x.io", `users=${many}`, "users=a@x.io,nope", "", "userId1=a@x.io"]) {
      const { status, body } = await call("GET", `/users/availability?${query}`);
      expect(status).toBe(400);
      expect(body.errors.length).toBeGreaterThan(0);
    }
  });
});

describe("GET /users/addresses", () => {
  test("says whether each address is verified, in the order asked, lists the unknown, and needs no token", async () => {
    await call("POST", "/users", ada);
    await call("POST", "/users", { email: "bob@example.com", name: "Bob" });
    await db.sql`update users set email_verified = true where email = 'bob@example.com'`;
    const { status, body } = await call("GET", "/users/addresses?users=bob@example.com,ADA@example.com,zed@example.com,bob@example.com");
    expect(status).toBe(200);
    expect(body).toEqual({
      users: [
        { email: "bob@example.com", email_verified: true },
        { email: "ada@example.com", email_verified: false },
      ],
      missing: ["zed@example.com"],
    });
  });

  test("answers 400 unless 2 to 100 distinct emails are named", async () => {
    for (const query of ["users=a@x.io", "users=a@x.io,A@x.io", "users=a@x.io,nope", ""]) {
      const { status, body } = await call("GET", `/users/addresses?${query}`);
      expect(status).toBe(400);
      expect(body.errors.length).toBeGreaterThan(0);
    }
  });
});

describe("operations", () => {
  test("keeps a well-formed Case-ID and replaces a malformed one", async () => {
    const kept = await app.handle(jsonRequest("GET", "/health/live", undefined, { "case-id": "req-42:a.b_c" }));
    expect(kept.headers.get("case-id")).toBe("req-42:a.b_c");
    const replaced = await app.handle(jsonRequest("GET", "/health/live", undefined, { "case-id": "bad id!" }));
    expect(replaced.headers.get("case-id")).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(replaced.headers.get("case-id")).not.toBe("bad id!");
    const tooLong = await app.handle(jsonRequest("GET", "/health/live", undefined, { "case-id": "a".repeat(129) }));
    expect(tooLong.headers.get("case-id")).not.toBe("a".repeat(129));
  });

  test("puts the case id in problem details", async () => {
    const { body } = await call("GET", "/users/nobody@example.com", undefined, { "case-id": "trace-1" });
    expect(body.case_id).toBe("trace-1");
  });

  test("reports healthy with its dependencies up", async () => {
    await users.brokerReady();
    const { status, body } = await call("GET", "/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ service: "users", status: "healthy" });
    expect(body.dependencies.postgres.status).toBe("up");
    expect(body.dependencies.redis.status).toBe("up");
    expect(typeof body.dependencies.redis.response_time_ms).toBe("number");
    expect(body.dependencies.rabbitmq).toMatchObject({ status: "up", required: false });
  });

  test("serves Swagger UI and an OpenAPI document generated from the schemas", async () => {
    const ui = await app.handle(jsonRequest("GET", "/docs"));
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain("swagger-ui");
    const { body } = await call("GET", "/docs/json");
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(["/users/", "/users/availability", "/users/{email}", "/users/{email}/availability", "/health"]),
    );
    const create = body.paths["/users/"].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "400", "409"]));
  });

  test("declares the bearer token on the routes that take one, with their 401 and 403 problems, and on no other", async () => {
    const { body } = await call("GET", "/docs/json");
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const secured = [
      ["/users/", "get"],
      ["/users/{email}", "put"],
      ["/users/{email}", "delete"],
      ["/users/{email}/dates/{date}", "put"],
      ["/users/{email}/dates/{date}", "delete"],
    ];
    for (const [path, method] of secured) {
      const operation = body.paths[path!][method!];
      expect(operation.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      for (const status of ["401", "403"]) {
        expect(operation.responses[status].content, `${method} ${path} ${status}`).toEqual({
          "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
        });
      }
    }
    for (const [path, item] of Object.entries(body.paths as Record<string, Record<string, { security?: unknown }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!secured.some(([p, m]) => p === path && m === method)) expect(operation.security, `${method} ${path}`).toBeUndefined();
      }
    }
    expect(Object.keys(body.paths["/auth/token"].post.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "429", "503"]));
    expect(Object.keys(body.paths["/auth/verify-email"].post.responses)).toEqual(expect.arrayContaining(["202", "404", "429", "503"]));
  });

  test("counts requests by route and status in Prometheus format", async () => {
    await call("GET", "/users/nobody@example.com");
    const response = await app.handle(jsonRequest("GET", "/metrics"));
    const text = await response.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/users\/:email",status="404",service="users"\} \d+/);
    expect(text).toContain("http_request_duration_seconds_bucket");
  });

  test("answers an unknown route with a 404 problem", async () => {
    const { status, headers } = await call("GET", "/nowhere");
    expect(status).toBe(404);
    expect(headers.get("content-type")).toBe("application/problem+json");
  });
});
