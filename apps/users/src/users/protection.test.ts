// Who may change what: every kind of profile, caller and route, with real tokens from the service's own
// login (and a forged and an expired one), against real Postgres and Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { jsonRequest, startTestIssuer, TEST_AUDIENCE, TEST_ISSUER, type TestIssuer } from "@w2meet/testing";
import { SignJWT } from "jose";
import { dateOf, localDay } from "@w2meet/schedule";
import { adminToken, bearer, login, testSigningKey, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let users: ReturnType<typeof usersApp>;
let forger: TestIssuer;

const PASSWORD = "owner password 1";
const OTHER = { email: "bob@example.com", name: "Bob", password: "bob's password 1" };
// Each profile's owner has a token of their own; the open one's was had while it still had a password.
const PROFILES = { open: "olive@example.com", protected: "pat@example.com" } as const;
type Kind = keyof typeof PROFILES;
const week = { name: "Changed", availabilities: { friday: [8] }, preference: "random" };
// Every profile starts with an exception on this date, and a route may set one on the next.
const DATE = dateOf(localDay("UTC", Date.now()) + 10);
const NEXT_DATE = dateOf(localDay("UTC", Date.now()) + 11);

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await users.app.handle(jsonRequest(method, path, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};

let tokens: Record<string, string>;
const hashes: Partial<Record<Kind, string | null>> = {};

/** Puts a profile back as it started (open or protected, unverified), whatever the last test did to it. */
async function reset(kind: Kind) {
  const email = PROFILES[kind];
  await db.sql`delete from users where email = ${email}`;
  await db.sql`
    insert into users (email, name, availabilities, preference, password_hash)
    values (${email}, ${kind}, ${db.sql.json({ monday: [9] })}, 'first', ${hashes[kind] ?? null})`;
  await db.sql`
    insert into user_dates (user_id, date, available, if_needed)
    select id, ${DATE}, '[]', '[]' from users where email = ${email}`;
}

/** What a refused request must leave as it was: the profile, its version, and its exceptions. */
const stateOf = (email: string) => db.sql`
  select name, password_hash, version,
    (select json_agg(json_build_object('date', d.date, 'available', d.available) order by d.date)
     from user_dates d where d.user_id = users.id) as dates
  from users where email = ${email}`;

beforeAll(async () => {
  db = await usersDatabase();
  users = usersApp({ sql: db.sql, prefix: uniquePrefix() });
  await users.cacheReady();
  forger = await startTestIssuer(testSigningKey.kid);
  for (const email of Object.values(PROFILES))
    expect((await call("POST", "/users", { email, name: email, password: PASSWORD })).status).toBe(201);
  expect((await call("POST", "/users", OTHER)).status).toBe(201);
  tokens = {
    open: await login(users.app, PROFILES.open, PASSWORD),
    protected: await login(users.app, PROFILES.protected, PASSWORD),
    other: await login(users.app, OTHER.email, OTHER.password),
    admin: await adminToken(users.app),
  };
  const [row] = await db.sql<{ password_hash: string }[]>`select password_hash from users where email = ${PROFILES.protected}`;
  hashes.protected = row!.password_hash;
  hashes.open = null;
});
afterAll(async () => {
  forger.stop();
  await users.close();
  await db.close();
});

/** A token signed with the service's own key that expired a minute ago. */
const expiredToken = (email: string) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", kid: testSigningKey.kid })
    .setSubject(email)
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt(now - 960)
    .setExpirationTime(now - 60)
    .sign(testSigningKey.privateKey);
};

const callers: Record<string, (kind: Kind) => Promise<Record<string, string>>> = {
  "no token": async () => ({}),
  "its owner": async (kind) => bearer(tokens[kind]!),
  "another user": async () => bearer(tokens.other!),
  "an admin": async () => bearer(tokens.admin!),
  "a token forged with another key": async (kind) => bearer(await forger.token(PROFILES[kind])),
  "its owner's expired token": async (kind) => bearer(await expiredToken(PROFILES[kind])),
};

const routes: Record<string, (email: string) => [string, string, unknown?]> = {
  PUT: (email) => ["PUT", `/users/${email}`, week],
  DELETE: (email) => ["DELETE", `/users/${email}`],
  "a password change": (email) => ["PUT", `/users/${email}`, { ...week, password: "a new password 1" }],
  "a password removal": (email) => ["PUT", `/users/${email}`, { ...week, password: null }],
  "PUT of a date": (email) => ["PUT", `/users/${email}/dates/${NEXT_DATE}`, { available: [9] }],
  "DELETE of a date": (email) => ["DELETE", `/users/${email}/dates/${DATE}`],
  "GET /users (the list)": () => ["GET", "/users?limit=5"],
};

// [kind][caller] → the status of each route, in the order of `routes`.
const expected: Record<Kind, Record<string, number[]>> = {
  open: {
    "no token": [200, 204, 403, 200, 200, 204, 401],
    "its owner": [200, 204, 403, 200, 200, 204, 403],
    "another user": [200, 204, 403, 200, 200, 204, 403],
    "an admin": [200, 204, 403, 200, 200, 204, 200],
    "a token forged with another key": [401, 401, 401, 401, 401, 401, 401],
    "its owner's expired token": [401, 401, 401, 401, 401, 401, 401],
  },
  protected: {
    "no token": [401, 401, 401, 401, 401, 401, 401],
    "its owner": [200, 204, 200, 200, 200, 204, 403],
    "another user": [403, 403, 403, 403, 403, 403, 403],
    "an admin": [403, 403, 403, 403, 403, 403, 200],
    "a token forged with another key": [401, 401, 401, 401, 401, 401, 401],
    "its owner's expired token": [401, 401, 401, 401, 401, 401, 401],
  },
};

for (const kind of ["open", "protected"] as const) {
  describe(`an ${kind} profile`, () => {
    beforeEach(() => reset(kind));
    for (const [caller, headersFor] of Object.entries(callers)) {
      Object.entries(routes).forEach(([route, request], index) => {
        const status = expected[kind][caller]![index]!;
        test(`${route} by ${caller} answers ${status}`, async () => {
          const [method, path, body] = request(PROFILES[kind]);
          const before = await stateOf(PROFILES[kind]);
          const answer = await call(method, path, body, await headersFor(kind));
          expect(answer.status).toBe(status);
          const after = await stateOf(PROFILES[kind]);
          if (status >= 400) {
            expect(answer.headers.get("content-type")).toBe("application/problem+json");
            expect(answer.body.status).toBe(status);
            expect(after).toEqual(before);
          }
          if (status === 401) expect(answer.headers.get("www-authenticate")).toStartWith("Bearer");
          if (status === 403 && route === "a password change" && kind === "open") expect(answer.body.detail).toContain("verified");
        });
      });
    }
  });
}

describe("passwords", () => {
  beforeEach(async () => {
    await reset("open");
    await reset("protected");
  });

  test("are kept as Argon2id hashes and never answered, neither in clear nor hashed", async () => {
    const created = await call("POST", "/users", { email: "new@example.com", name: "New", password: "a secret password" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ protected: true, email_verified: false });
    const [row] = await db.sql<{ password_hash: string }[]>`select password_hash from users where email = 'new@example.com'`;
    expect(row!.password_hash).toStartWith("$argon2id$");
    for (const answer of [
      created,
      await call("GET", "/users/new@example.com"),
      await call("GET", "/users?limit=100", undefined, bearer(tokens.admin!)),
    ]) {
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain("a secret password");
      expect(text).not.toContain("argon2");
      expect(text).not.toContain("password");
    }
    await db.sql`delete from users where email = 'new@example.com'`;
  });

  test("refuses one shorter than 10 or longer than 128 characters, naming password, and writes nothing", async () => {
    for (const password of ["short", "x".repeat(129)]) {
      const answer = await call("POST", "/users", { email: "new@example.com", name: "New", password });
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(["password"]);
    }
    expect((await call("GET", "/users/new@example.com")).status).toBe(404);
  });

  test("a new one set by the owner replaces the old one for logging in", async () => {
    const email = PROFILES.protected;
    const changed = await call("PUT", `/users/${email}`, { ...week, password: "the next password" }, bearer(tokens.protected!));
    expect(changed.status).toBe(200);
    expect(changed.body.protected).toBe(true);
    expect((await call("POST", "/auth/token", { email, password: PASSWORD })).status).toBe(401);
    expect((await call("POST", "/auth/token", { email, password: "the next password" })).status).toBe(200);
  });

  test("a PUT without password keeps it; null removes it and opens the profile to anyone", async () => {
    const email = PROFILES.protected;
    expect((await call("PUT", `/users/${email}`, week, bearer(tokens.protected!))).body.protected).toBe(true);
    const removed = await call("PUT", `/users/${email}`, { ...week, password: null }, bearer(tokens.protected!));
    expect(removed.body.protected).toBe(false);
    expect((await call("POST", "/auth/token", { email, password: PASSWORD })).status).toBe(401);
    expect((await call("PUT", `/users/${email}`, { ...week, name: "Anyone" })).status).toBe(200);
  });

  test("is never set on an open profile through PUT, even once its email is verified: anyone could take it over", async () => {
    const email = PROFILES.open;
    await db.sql`update users set email_verified = true where email = ${email}`;
    const set = await call("PUT", `/users/${email}`, { ...week, password: "a fresh password" });
    expect(set.status).toBe(403);
    expect(set.body.detail).toContain("POST /auth/verify-email/confirm");
    expect((await call("GET", `/users/${email}`)).body).toMatchObject({ protected: false });
    expect((await call("POST", "/auth/token", { email, password: "a fresh password" })).status).toBe(401);
  });

  test("a protected profile's week is still read by anyone, and its cached availability follows the owner's change", async () => {
    const email = PROFILES.protected;
    expect((await call("GET", `/users/${email}`)).status).toBe(200);
    await call("PUT", `/users/${email}`, { ...week, availabilities: { sunday: [7] } }, bearer(tokens.protected!));
    const read = await call("GET", `/users/${email}/availability`);
    expect(read.status).toBe(200);
    expect(read.body.availabilities.sunday).toEqual([7]);
    expect(read.headers.get("x-cache")).toBe("HIT");
  });
});
