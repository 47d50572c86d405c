import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { VerificationMail } from "@w2meet/contracts";
import { jsonRequest, startFakeService, TEST_AUDIENCE, TEST_ISSUER } from "@w2meet/testing";
import { createLocalJWKSet, jwtVerify } from "jose";
import { usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

type Mail = { body: VerificationMail; authorization: string | null; idempotencyKey: string | null; caseId: string | null };

let db: Awaited<ReturnType<typeof usersDatabase>>;
let users: ReturnType<typeof usersApp>;
const mails: Mail[] = [];
/** The worker's side: it takes each mail (202) and keeps what it was sent. */
const takeMail = async (_: URL, request: Request) => {
  mails.push({
    body: (await request.json()) as VerificationMail,
    authorization: request.headers.get("authorization"),
    idempotencyKey: request.headers.get("idempotency-key"),
    caseId: request.headers.get("case-id"),
  });
  return Response.json({ status: "accepted" }, { status: 202 });
};
const worker = startFakeService({ path: "/verification-mails", answer: takeMail });

const ADA = "ada@example.com";

beforeAll(async () => {
  db = await usersDatabase();
  users = usersApp({ sql: db.sql, prefix: uniquePrefix(), env: { WORKER_URL: worker.url, WORKER_TIMEOUT_MS: "300" } });
  await users.cacheReady();
});
afterAll(async () => {
  await users.close();
  await worker.stop();
  await db.close();
});
beforeEach(async () => {
  worker.answerWith(takeMail);
  mails.length = 0;
  await db.sql`delete from users`;
  await db.sql`delete from email_verifications`;
  await call("POST", "/users", { email: ADA, name: "Ada" });
});

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await users.app.handle(jsonRequest(method, path, body, headers));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};
const askForCode = (email = ADA, headers?: Record<string, string>) => call("POST", "/auth/verify-email", { email }, headers);
const confirm = (code: string, email = ADA) => call("POST", "/auth/verify-email/confirm", { email, code });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
const verified = async (email = ADA) => (await call("GET", `/users/${email}`)).body.email_verified as boolean;
const pending = () => db.sql`select * from email_verifications`;

describe("POST /auth/verify-email", () => {
  test("has the worker mail a six-digit code, with a service token, the verification's id as Idempotency-Key and the case id", async () => {
    const before = Date.now();
    const sent = await askForCode("ADA@example.com", { "case-id": "verify-1" });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ email: ADA, expires_at: expect.any(String) });
    const expiresIn = Date.parse(sent.body.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 1000);

    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.body).toEqual({ email: ADA, code: expect.stringMatching(/^[0-9]{6}$/), expires_at: sent.body.expires_at });
    expect(mail!.caseId).toBe("verify-1");
    const [row] = await pending();
    expect(mail!.idempotencyKey).toBe(row!.id);

    const token = mail!.authorization!.replace(/^Bearer /, "");
    const jwks = (await call("GET", "/auth/jwks.json")).body;
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ["EdDSA"],
    });
    expect(payload.role).toBe("service");
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
  });

  test("keeps only a hash of the code, never the code", async () => {
    await askForCode();
    const [row] = await pending();
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(mails[0]!.body.code);
    expect(row!.code_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("answers 404 for an address no user has, and mails nothing", async () => {
    const { status, body } = await askForCode("nobody@example.com");
    expect(status).toBe(404);
    expect(body.status).toBe(404);
    expect(mails).toHaveLength(0);
  });

  test("sends at most one code a minute to an address: 429 with Retry-After, and then a new code replacing the old", async () => {
    expect((await askForCode()).status).toBe(202);
    const again = await askForCode();
    expect(again.status).toBe(429);
    expect(again.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(again.headers.get("retry-after"))).toBeWithin(55, 61);
    expect(mails).toHaveLength(1);

    await db.sql`update email_verifications set created_at = now() - interval '61 seconds'`;
    expect((await askForCode()).status).toBe(202);
    expect(mails).toHaveLength(2);
    if (mails[0]!.body.code !== mails[1]!.body.code) expect((await confirm(mails[0]!.body.code)).status).toBe(400);
    expect((await confirm(mails[1]!.body.code)).status).toBe(200);
  });

  test("answers 503 and keeps no code when the worker answers 5xx, and sends again at once when it is back", async () => {
    worker.failWith(500);
    const failed = await askForCode();
    expect(failed.status).toBe(503);
    expect(failed.headers.get("content-type")).toBe("application/problem+json");
    expect(failed.body.detail).toContain("worker");
    expect(await pending()).toHaveLength(0);
    expect(await verified()).toBe(false);

    worker.answerWith(takeMail);
    expect((await askForCode()).status).toBe(202);
    expect(mails).toHaveLength(1);
  });

  test("answers 503 within its timeout when the worker does not answer, and keeps no code", async () => {
    worker.hang();
    const started = performance.now();
    const failed = await askForCode();
    expect(performance.now() - started).toBeLessThan(1500);
    expect(failed.status).toBe(503);
    expect(await pending()).toHaveLength(0);
  });

  test("answers 503 when the worker is down, and nothing about the address changes", async () => {
    const down = usersApp({ sql: db.sql, prefix: uniquePrefix() });
    try {
      const failed = await down.app.handle(jsonRequest("POST", "/auth/verify-email", { email: ADA }));
      expect(failed.status).toBe(503);
      expect(((await failed.json()) as { detail: string }).detail).toContain("worker");
      expect(await pending()).toHaveLength(0);
      expect(await verified()).toBe(false);
    } finally {
      await down.close();
    }
  });
});

describe("POST /auth/verify-email/confirm", () => {
  test("with the mailed code, marks the address verified and uses the code up", async () => {
    await askForCode();
    const { status, body } = await confirm(mails[0]!.body.code);
    expect(status).toBe(200);
    expect(body).toMatchObject({ email: ADA, email_verified: true, protected: false });
    expect(await verified()).toBe(true);
    expect(await pending()).toHaveLength(0);
    const reused = await confirm(mails[0]!.body.code);
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0].message).toContain("ask for a new one");
  });

  test("with the mailed code and a password, verifies the address and protects the open profile in one step", async () => {
    await askForCode();
    const wrong = await call("POST", "/auth/verify-email/confirm", {
      email: ADA,
      code: wrongCode(mails[0]!.body.code),
      password: "mine and only mine",
    });
    expect(wrong.status).toBe(400);
    expect((await call("GET", `/users/${ADA}`)).body).toMatchObject({ protected: false, email_verified: false });
    const { status, body } = await call("POST", "/auth/verify-email/confirm", {
      email: ADA,
      code: mails[0]!.body.code,
      password: "mine and only mine",
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ email: ADA, email_verified: true, protected: true });
    expect((await call("POST", "/auth/token", { email: ADA, password: "mine and only mine" })).status).toBe(200);
    // A protected profile changes its password with its owner's token, not with a code.
    const again = await call("POST", "/auth/verify-email/confirm", {
      email: ADA,
      code: mails[0]!.body.code,
      password: "someone else's",
    });
    expect(again.status).toBe(403);
    expect((await call("POST", "/auth/token", { email: ADA, password: "mine and only mine" })).status).toBe(200);
  });

  test("answers 400 naming code to a wrong one, counting tries, and burns the code after the fifth", async () => {
    await askForCode();
    const { code } = mails[0]!.body;
    for (let i = 1; i <= 5; i++) {
      const wrong = await confirm(wrongCode(code));
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors.map((error: { path: string }) => error.path)).toEqual(["code"]);
      expect(wrong.body.errors[0].message).toContain(i < 5 ? `${5 - i} tr` : "ask for a new one");
    }
    expect(await pending()).toHaveLength(0);
    const late = await confirm(code);
    expect(late.status).toBe(400);
    expect(late.body.errors[0].message).toContain("ask for a new one");
    expect(await verified()).toBe(false);
  });

  test("counts every one of parallel wrong tries", async () => {
    await askForCode();
    const { code } = mails[0]!.body;
    const answers = await Promise.all(Array.from({ length: 6 }, () => confirm(wrongCode(code))));
    expect(answers.every((answer) => answer.status === 400)).toBe(true);
    expect((await confirm(code)).status).toBe(400);
    expect(await verified()).toBe(false);
  });

  test("answers 400 saying to ask for a new code once the code has expired", async () => {
    await askForCode();
    await db.sql`update email_verifications set expires_at = now() - interval '1 second'`;
    const { status, body } = await confirm(mails[0]!.body.code);
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ path: "code", message: expect.stringContaining("expired") }]);
    expect(body.errors[0].message).toContain("ask for a new one");
    expect(await verified()).toBe(false);
  });

  test("answers 400 saying to ask for a code when none was asked for", async () => {
    const { status, body } = await confirm("123456");
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({ path: "code", message: expect.stringContaining("ask for a new one") });
  });

  test("answers 400 naming code for one that is not six digits", async () => {
    const { status, body } = await confirm("12345a");
    expect(status).toBe(400);
    expect(body.errors.map((error: { path: string }) => error.path)).toEqual(["code"]);
  });

  test("a code asked for before the user was deleted does not verify a new user of the same address", async () => {
    await askForCode();
    expect((await call("DELETE", `/users/${ADA}`)).status).toBe(204);
    await call("POST", "/users", { email: ADA, name: "Another Ada" });
    expect((await confirm(mails[0]!.body.code)).status).toBe(400);
    expect(await verified()).toBe(false);
  });
});
