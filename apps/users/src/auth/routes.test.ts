import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closedPortUrl, jsonRequest, TEST_AUDIENCE, TEST_ISSUER } from "@w2meet/testing";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { admin, adminToken, bearer, newSigningKey, testSigningKey, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
const running: ReturnType<typeof usersApp>[] = [];

beforeAll(async () => {
  db = await usersDatabase();
});
afterAll(async () => {
  await Promise.all(running.map((users) => users.close()));
  await db.close();
});

/** A users app of this file's own, with its own counters (a fresh cache prefix) and the settings given. */
async function appWith(env: Record<string, string> = {}, redisUrl?: string) {
  const users = usersApp({ sql: db.sql, prefix: uniquePrefix(), env, redisUrl });
  running.push(users);
  if (!redisUrl) await users.cacheReady();
  return users.app;
}
type App = Awaited<ReturnType<typeof appWith>>;

const call = async (app: App, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await app.handle(jsonRequest(method, path, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};
const tokenRequest = (app: App, email: string, password: string, headers?: Record<string, string>) =>
  call(app, "POST", "/auth/token", { email, password }, headers);

const PASSWORD = "the right password";
/** Tests that make many Argon2id checks (about 0.2 s each on two cores). */
const SLOW = 30_000;
let seq = 0;
/** A protected profile of its own for one test. */
async function person(app: App, password: string | null = PASSWORD) {
  const email = `person${++seq}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  const body = { email, name: "Person", ...(password && { password }) };
  expect((await call(app, "POST", "/users", body)).status).toBe(201);
  return email;
}
const withoutCaseId = ({ case_id: _, ...problem }: Record<string, unknown>) => problem;

describe("POST /auth/token", () => {
  let app: App;
  beforeAll(async () => {
    app = await appWith();
  });

  test("answers a bearer token signed with EdDSA that verifies against the service's JWKS, with the claims of the settings", async () => {
    const email = await person(app);
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await tokenRequest(app, email.toUpperCase(), PASSWORD);
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 900 });
    const jwks = (await call(app, "GET", "/auth/jwks.json")).body;
    const { payload, protectedHeader } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ["EdDSA"],
    });
    expect(protectedHeader).toMatchObject({ alg: "EdDSA", kid: testSigningKey.kid });
    expect(payload.sub).toBe(email);
    expect(payload.role).toBeUndefined();
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  test("gives the admin role to the emails ADMIN_EMAILS names, and only to them", async () => {
    const token = await adminToken(app);
    const jwks = (await call(app, "GET", "/auth/jwks.json")).body;
    expect((await jwtVerify(token, createLocalJWKSet(jwks))).payload).toMatchObject({ sub: admin.email, role: "admin" });
  });

  test("makes tokens that live TOKEN_TTL_SECONDS", async () => {
    const short = await appWith({ TOKEN_TTL_SECONDS: "60" });
    const email = await person(short);
    const { body } = await tokenRequest(short, email, PASSWORD);
    expect(body.expires_in).toBe(60);
    const { payload } = await jwtVerify(body.access_token, createLocalJWKSet((await call(short, "GET", "/auth/jwks.json")).body));
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  test(
    "answers the same 401 to a wrong password, an unknown email and a profile without a password",
    async () => {
      const email = await person(app);
      const open = await person(app, null);
      const answers = [
        await tokenRequest(app, email, "not the password"),
        await tokenRequest(app, "nobody-at-all@example.com", "not the password"),
        await tokenRequest(app, open, "not the password"),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get("content-type")).toBe("application/problem+json");
        expect(answer.headers.get("www-authenticate")).toBe(answers[0]!.headers.get("www-authenticate"));
        expect(withoutCaseId(answer.body)).toEqual(withoutCaseId(answers[0]!.body));
      }
      expect(answers[0]!.body).toMatchObject({ type: "urn:w2meet:problem:unauthorized", status: 401 });
    },
    SLOW,
  );

  test(
    "takes about as long for an unknown email as for a wrong password",
    async () => {
      const email = await person(app);
      const timed = async (who: string, ip: string) => {
        const started = performance.now();
        expect((await tokenRequest(app, who, "not the password", { "x-forwarded-for": ip })).status).toBe(401);
        return performance.now() - started;
      };
      const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
      const wrong: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i++) {
        wrong.push(await timed(email, "192.0.2.10"));
        unknown.push(await timed(`unknown${i}@example.com`, "192.0.2.11"));
      }
      expect(median(unknown)).toBeGreaterThan(median(wrong) / 2);
    },
    SLOW,
  );

  test("answers 400 naming every offending field of a malformed login", async () => {
    const { status, body } = await call(app, "POST", "/auth/token", { email: "not-an-email", password: "" });
    expect(status).toBe(400);
    expect(body.errors.map((error: { path: string }) => error.path)).toEqual(["email", "password"]);
  });
});

describe("throttling failed logins", () => {
  test(
    "after LOGIN_MAX_FAILURES failures for one email, answers 429 with Retry-After before checking the password",
    async () => {
      const app = await appWith();
      const email = await person(app);
      for (let i = 0; i < 5; i++)
        expect((await tokenRequest(app, email, `wrong ${i}`, { "x-forwarded-for": `198.51.100.${i}` })).status).toBe(401);
      const refused = await tokenRequest(app, email, PASSWORD, { "x-forwarded-for": "198.51.100.99" });
      expect(refused.status).toBe(429);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(890);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(refused.body.detail).toContain("email");
      // Another email, from the same address, is not held back.
      const other = await person(app);
      expect((await tokenRequest(app, other, PASSWORD, { "x-forwarded-for": "198.51.100.99" })).status).toBe(200);
    },
    SLOW,
  );

  test(
    "a successful login forgives the email's earlier failures",
    async () => {
      const app = await appWith();
      const email = await person(app);
      for (let i = 0; i < 4; i++) expect((await tokenRequest(app, email, "wrong password")).status).toBe(401);
      expect((await tokenRequest(app, email, PASSWORD)).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await tokenRequest(app, email, "wrong password")).status).toBe(401);
      expect((await tokenRequest(app, email, PASSWORD)).status).toBe(200);
    },
    SLOW,
  );

  test(
    "after the per-IP limit of failures from one client, answers 429 to it whatever the email, and not to others",
    async () => {
      const app = await appWith({ LOGIN_MAX_FAILURES_PER_IP: "4", LOGIN_WINDOW_SECONDS: "2" });
      const email = await person(app);
      const from = (ip: string) => ({ "x-forwarded-for": `${ip}, 10.0.0.1` });
      for (let i = 0; i < 4; i++)
        expect((await tokenRequest(app, `guess${i}@example.com`, "a guess", from("203.0.113.7"))).status).toBe(401);
      const refused = await tokenRequest(app, email, PASSWORD, { "x-forwarded-for": "203.0.113.7" });
      expect(refused.status).toBe(429);
      expect(refused.body.detail).toContain("address");
      expect(Number(refused.headers.get("retry-after"))).toBeWithin(1, 3);
      expect((await tokenRequest(app, email, PASSWORD, from("203.0.113.8"))).status).toBe(200);
      // Once the window has passed, the address may try again.
      await Bun.sleep(2100);
      expect((await tokenRequest(app, email, PASSWORD, from("203.0.113.7"))).status).toBe(200);
    },
    SLOW,
  );

  test(
    "counts a burst of parallel guesses exactly: no more than the limit get to the password check",
    async () => {
      const app = await appWith();
      const email = await person(app);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => tokenRequest(app, email, `guess ${i}`, { "x-forwarded-for": `192.0.2.${i}` })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    },
    SLOW,
  );

  test(
    "without X-Forwarded-For, counts the connection's own address",
    async () => {
      const app = await appWith({ LOGIN_MAX_FAILURES_PER_IP: "2" });
      const email = await person(app);
      app.listen({ port: 0, hostname: "127.0.0.1" });
      try {
        const base = `http://127.0.0.1:${app.server!.port}`;
        const post = (password: string, headers: Record<string, string> = {}) =>
          fetch(`${base}/auth/token`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify({ email, password }),
          });
        expect((await post("wrong one")).status).toBe(401);
        expect((await post("wrong two")).status).toBe(401);
        expect((await post(PASSWORD)).status).toBe(429);
        expect((await post(PASSWORD, { "x-forwarded-for": "127.0.0.1" })).status).toBe(429);
        expect((await post(PASSWORD, { "x-forwarded-for": "192.0.2.200" })).status).toBe(200);
      } finally {
        await app.stop(true);
      }
    },
    SLOW,
  );
});

describe("Redis unreachable", () => {
  test("logins fail closed with 503 while the rest of the service works on", async () => {
    const app = await appWith({}, closedPortUrl("redis"));
    const email = await person(app);
    const login = await tokenRequest(app, email, PASSWORD);
    expect(login.status).toBe(503);
    expect(login.headers.get("content-type")).toBe("application/problem+json");
    expect(login.body.detail).toContain("Logins are unavailable");
    const read = await call(app, "GET", `/users/${email}`);
    expect(read.status).toBe(200);
    expect(read.body.protected).toBe(true);
  });
});

describe("GET /auth/jwks.json", () => {
  test("publishes the current public key, and only its public members, for five minutes", async () => {
    const app = await appWith();
    const { status, headers, body } = await call(app, "GET", "/auth/jwks.json");
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("public, max-age=300");
    expect(body).toEqual({
      keys: [{ kty: "OKP", crv: "Ed25519", x: testSigningKey.jwk.x, kid: testSigningKey.kid, alg: "EdDSA", use: "sig" }],
    });
  });

  test("publishes the previous keys after the current one, and accepts tokens they signed", async () => {
    const previous = newSigningKey("previous-1");
    const { d: _, ...previousPublic } = previous.jwk;
    const app = await appWith({ JWT_PREVIOUS_PUBLIC_KEYS: JSON.stringify([previousPublic]) });
    const { body } = await call(app, "GET", "/auth/jwks.json");
    expect(body.keys.map((key: { kid: string }) => key.kid)).toEqual([testSigningKey.kid, "previous-1"]);
    expect(body.keys[1]).toEqual({ kty: "OKP", crv: "Ed25519", x: previous.jwk.x, kid: "previous-1", alg: "EdDSA", use: "sig" });

    const email = await person(app);
    const now = Math.floor(Date.now() / 1000);
    const oldToken = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: "previous-1" })
      .setSubject(email)
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(previous.privateKey);
    expect(decodeProtectedHeader(oldToken).kid).toBe("previous-1");
    const put = await call(
      app,
      "PUT",
      `/users/${email}`,
      { name: "Still mine", availabilities: {}, preference: "first" },
      bearer(oldToken),
    );
    expect(put.status).toBe(200);
  });
});
