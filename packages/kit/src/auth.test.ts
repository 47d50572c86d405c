import { afterAll, describe, expect, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { createTokenVerifier, principalOf, requirePrincipal } from "./auth.ts";
import { createLogger } from "./logger.ts";
import { createService } from "./service.ts";

const ISSUER = "w2meet-users";
const AUDIENCE = "w2meet";

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  const sign = (claims: Record<string, unknown> = {}, options: { expiresIn?: string; audience?: string; issuer?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid })
      .setSubject(String(claims.sub ?? "ada@example.com"))
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "15m")
      .sign(privateKey);
  return { jwk, sign };
}

const current = await keyPair("k1");
const other = await keyPair("k1");
const rotated = await keyPair("k2");
let served: JWK[] = [current.jwk];
let fetches = 0;
let jwksDown = false;
const jwks = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: () => {
    fetches++;
    return jwksDown ? new Response("down", { status: 503 }) : Response.json({ keys: served });
  },
});
afterAll(() => jwks.stop(true));

function appWith(keys: string | { keys: JWK[] }, refetchCooldownMs = 0) {
  return createService({
    name: "auth-test",
    description: "t",
    logger: createLogger({ service: "auth-test", level: "error", sink: () => {} }),
    verifyTokens: createTokenVerifier({ keys, issuer: ISSUER, audience: AUDIENCE, refetchCooldownMs }),
  })
    .get("/public", ({ request }) => ({ email: principalOf(request)?.email ?? null }))
    .get("/mine", ({ request }) => requirePrincipal(request, "Reading your things"))
    .post("/things", ({ body }) => body, { body: Type.Object({ name: Type.String() }) });
}

const call = async (app: ReturnType<typeof appWith>, path: string, token?: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set("authorization", token.startsWith("Bearer") || token.includes(" ") ? token : `Bearer ${token}`);
  const response = await app.handle(new Request(`http://localhost${path}`, { ...init, headers }));
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

const unsigned = (claims: Record<string, unknown>) => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
};

describe("bearer tokens", () => {
  const app = appWith({ keys: [current.jwk] });

  test("leaves a request without a token to the route: public ones answer, others say 401 with WWW-Authenticate", async () => {
    expect(await call(app, "/public")).toMatchObject({ status: 200, body: { email: null } });
    const refused = await call(app, "/mine");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="w2meet"');
    expect(refused.body).toMatchObject({ status: 401, detail: "Reading your things needs a bearer token" });
    expect(refused.body.case_id).toBeString();
  });

  test("hands the route whom a valid token speaks for, with its role", async () => {
    expect(await call(app, "/mine", await current.sign({ sub: "ada@example.com" }))).toMatchObject({
      status: 200,
      body: { email: "ada@example.com" },
    });
    expect((await call(app, "/mine", await current.sign({ sub: "root@example.com", role: "admin" }))).body).toEqual({
      email: "root@example.com",
      role: "admin",
    });
  });

  test("refuses on every route, before the body is checked, a token that is forged, unsigned, expired, for another audience or issuer", async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      "signed by another key with the same kid": await other.sign(),
      "unsigned (alg none)": unsigned({ sub: "ada@example.com", iss: ISSUER, aud: AUDIENCE, exp: now + 600 }),
      expired: await current.sign({}, { expiresIn: "-1m" }),
      "for another audience": await current.sign({}, { audience: "elsewhere" }),
      "from another issuer": await current.sign({}, { issuer: "someone-else" }),
      "cut short": (await current.sign()).slice(0, -10),
      "not a JWT": "hello",
    };
    for (const [what, token] of Object.entries(bad)) {
      for (const [path, init] of [
        ["/public", {}],
        ["/things", { method: "POST", body: "{broken", headers: { "content-type": "application/json" } }],
      ] as const) {
        const { status, headers, body } = await call(app, path, token, init);
        expect(status, `${what} on ${path}`).toBe(401);
        expect(headers.get("www-authenticate"), what).toStartWith('Bearer realm="w2meet", error="invalid_token"');
        expect(body.detail, what).toBe(what === "expired" ? "The token has expired" : "The token is not valid");
      }
    }
    expect((await call(app, "/public", "Basic YWRhOnB3")).headers.get("www-authenticate")).toContain('error="invalid_request"');
  });

  test("fetches the JWKS once for many requests, again for a key id it does not hold, and answers 503 while it cannot", async () => {
    served = [current.jwk];
    const remote = appWith(`http://127.0.0.1:${jwks.port}/auth/jwks.json`);
    const before = fetches;
    for (let i = 0; i < 20; i++) expect((await call(remote, "/mine", await current.sign())).status).toBe(200);
    expect(fetches - before).toBe(1);
    served = [current.jwk, rotated.jwk];
    expect((await call(remote, "/mine", await rotated.sign({ sub: "bob@example.com" }))).body).toEqual({ email: "bob@example.com" });
    expect(fetches - before).toBe(2);

    const cold = appWith(`http://127.0.0.1:${jwks.port}/auth/jwks.json`);
    jwksDown = true;
    try {
      expect((await call(cold, "/mine", await current.sign())).status).toBe(503);
    } finally {
      jwksDown = false;
    }
  });
});
