import type { Problem, VerificationMailAccepted } from "@w2meet/contracts";
import { bodyOf, jsonRequest } from "@w2meet/testing";
import { describe, expect, test } from "bun:test";
import { type HttpApp, useHttpApp } from "../../test/http-app.ts";

let http: HttpApp;
useHttpApp((started) => {
  http = started;
});

const inTenMinutes = () => new Date(Date.now() + 10 * 60_000).toISOString();
const mail = (overrides: Record<string, unknown> = {}) => ({
  email: "ada@example.com",
  code: "042917",
  expires_at: inTenMinutes(),
  ...overrides,
});
const asService = () => http.bearer("users@w2meet.internal", { role: "service" });
const send = (body: unknown, headers: Record<string, string> = {}) =>
  http.app.handle(jsonRequest("POST", "/verification-mails", body, headers));

const stored = async () => {
  const [row] = await http.db.sql<{ mails: number; outbox: number }[]>`
    select (select count(*)::int from verification_mails) as mails, (select count(*)::int from outbox) as outbox`;
  return row!;
};

describe("POST /verification-mails", () => {
  test("refuses a request without a token with 401, and stores nothing", async () => {
    const response = await send(mail(), { "idempotency-key": "code-1" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toStartWith("Bearer");
    expect(await bodyOf<Problem>(response)).toMatchObject({ status: 401, case_id: expect.any(String) });
    expect(await stored()).toEqual({ mails: 0, outbox: 0 });
  });

  test("refuses a person's token, an admin's included, with 403, and stores nothing", async () => {
    for (const headers of [await http.bearer("ada@example.com"), await http.bearer("root@example.com", { role: "admin" })]) {
      const response = await send(mail(), { "idempotency-key": "code-2", ...headers });
      expect(response.status).toBe(403);
      expect((await bodyOf<Problem>(response)).detail).toBe("Only a W2Meet service may send verification mails");
    }
    expect(await stored()).toEqual({ mails: 0, outbox: 0 });
  });

  test("refuses a service token that does not verify with 401", async () => {
    const expired = await http.issuer.token("users@w2meet.internal", { role: "service", expiresIn: "-1m" });
    const response = await send(mail(), { "idempotency-key": "code-3", authorization: `Bearer ${expired}` });
    expect(response.status).toBe(401);
    expect(await stored()).toEqual({ mails: 0, outbox: 0 });
  });

  test("checks who calls before what is sent: no token and a broken body is a 401", async () => {
    const response = await send({ email: "nobody", code: "12" });
    expect(response.status).toBe(401);
  });

  test("accepts a service's mail with 202 and stores it with its outbox message in one go", async () => {
    const body = mail({ email: "Ada@Example.com" });
    const response = await send(body, { "idempotency-key": "code-4", "case-id": "case-code-4", ...(await asService()) });
    expect(response.status).toBe(202);
    const accepted = await bodyOf<VerificationMailAccepted>(response);
    expect(accepted).toEqual({ mail_id: expect.any(String), status: "queued" });
    const [row] = await http.db.sql`select email, code, expires_at, status, case_id from verification_mails where id = ${accepted.mail_id}`;
    expect(row).toEqual({
      email: "ada@example.com",
      code: "042917",
      expires_at: new Date(body.expires_at),
      status: "queued",
      case_id: "case-code-4",
    });
    const outbox = await http.db.sql`select task_id, verification_id, case_id, message, sent_at from outbox`;
    expect([...outbox]).toEqual([
      { task_id: null, verification_id: accepted.mail_id, case_id: "case-code-4", message: { mail_id: accepted.mail_id }, sent_at: null },
    ]);
  });

  test("answers the same mail for the same Idempotency-Key and stores it once, even when asked at once", async () => {
    const body = mail();
    const headers = { "idempotency-key": "code-5", ...(await asService()) };
    const answers = await Promise.all(Array.from({ length: 6 }, () => send(body, headers)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(202));
    const ids = await Promise.all(answers.map(async (answer) => (await bodyOf<VerificationMailAccepted>(answer)).mail_id));
    expect(new Set(ids).size).toBe(1);
    expect(await stored()).toEqual({ mails: 1, outbox: 1 });
  });

  test("refuses with 409 an Idempotency-Key used before for another mail", async () => {
    const headers = { "idempotency-key": "code-6", ...(await asService()) };
    expect((await send(mail(), headers)).status).toBe(202);
    const response = await send(mail({ code: "999999" }), headers);
    expect(response.status).toBe(409);
    expect(await stored()).toEqual({ mails: 1, outbox: 1 });
  });

  test("answers 400 naming idempotency-key when it is missing, and stores nothing", async () => {
    const response = await send(mail(), await asService());
    expect(response.status).toBe(400);
    expect((await bodyOf<Problem>(response)).errors?.map((error) => error.path)).toContain("idempotency-key");
    expect(await stored()).toEqual({ mails: 0, outbox: 0 });
  });

  test("answers 400 naming every malformed field, and stores nothing", async () => {
    const response = await send(
      { email: "not-an-address", code: "12345", expires_at: "tomorrow", extra: 1 },
      { "idempotency-key": "code-7", ...(await asService()) },
    );
    expect(response.status).toBe(400);
    const paths = (await bodyOf<Problem>(response)).errors?.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["email", "code", "expires_at", "extra"]));
    expect(await stored()).toEqual({ mails: 0, outbox: 0 });
  });

  test("is documented as needing a bearer token, with its 401 and 403", async () => {
    type Operation = { security?: unknown; responses: Record<string, unknown> };
    const document = await bodyOf<{ paths: Record<string, { post?: Operation }> }>(await http.app.handle(jsonRequest("GET", "/docs/json")));
    const post = document.paths["/verification-mails"]!.post!;
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["202", "400", "401", "403", "409"]));
  });
});
