// Bearer tokens: every service verifies them itself, from the users service's public keys (a JWKS
// fetched once and cached, fetched again only for a key id it does not know), with no call per request.
// Tokens are JWTs signed with Ed25519 (EdDSA) by the users service alone; `jose` does the JOSE work.
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import { ProblemError } from "./errors.ts";

/** The one signature algorithm tokens may use: anything else (`none`, HS256 with the public key, …) is refused. */
export const TOKEN_ALGORITHM = "EdDSA";

/** Who a verified token speaks for: a person by email; `admin` may list users, `service` is another W2Meet service. */
export type Principal = { email: string; role?: "admin" | "service" };

/** Settings of the services that verify tokens (every one); the users service issues them with the same issuer and audience. */
export const authSettings = {
  JWKS_URL: Type.String({
    format: "uri",
    default: "http://127.0.0.1:3001/auth/jwks.json",
    description: "The users service's public keys (JWKS), fetched once and cached",
  }),
  JWT_ISSUER: Type.String({ minLength: 1, default: "w2meet-users", description: "The `iss` every token must carry" }),
  JWT_AUDIENCE: Type.String({ minLength: 1, default: "w2meet", description: "The `aud` every token must carry" }),
};

const challenge = (error?: string, description?: string) =>
  error ? `Bearer realm="w2meet", error="${error}", error_description="${description}"` : 'Bearer realm="w2meet"';

/** 401 with `WWW-Authenticate: Bearer`: no token where one is needed, or one that does not verify. */
export const unauthorized = (detail: string, error?: "invalid_token" | "invalid_request") =>
  new ProblemError("unauthorized", detail, {}, { "www-authenticate": challenge(error, detail) });

/** 403: a valid token that may not do this. */
export const forbidden = (detail: string) => new ProblemError("forbidden", detail);

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Most tokens are seen many times in their 15 minutes: a verified one is kept until it expires. */
const CACHE_LIMIT = 10_000;

/**
 * Verifies a token's signature (EdDSA only) against the keys, its issuer, audience and expiry, and
 * answers whom it speaks for; throws a 401 problem otherwise (503 when the keys cannot be fetched). `keys`
 * is the JWKS URL (fetched on first use, cached for 10 minutes, fetched again when a token names a key id
 * it does not hold, at most every `refetchCooldownMs`) or the key set itself.
 */
export function createTokenVerifier(options: {
  keys: string | JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Least time between two fetches of the JWKS, so tokens naming made-up key ids cannot flood the users service. */
  refetchCooldownMs?: number;
}): TokenVerifier {
  const keySet =
    typeof options.keys === "string"
      ? createRemoteJWKSet(new URL(options.keys), {
          timeoutDuration: 2000,
          cooldownDuration: options.refetchCooldownMs ?? 5000,
          cacheMaxAge: 10 * 60_000,
        })
      : createLocalJWKSet(options.keys);
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.principal;
    if (known) verified.delete(token);
    let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["sub", "exp"],
      }));
    } catch (error) {
      // The keys could not be had (users unreachable, slow, or answering an error): not the token's fault.
      const keysUnavailable =
        error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError) || /JSON Web Key Set HTTP response/.test(error.message);
      if (keysUnavailable) {
        throw new ProblemError("unavailable", "The keys that verify tokens could not be fetched from the users service");
      }
      throw unauthorized(error instanceof errors.JWTExpired ? "The token has expired" : "The token is not valid", "invalid_token");
    }
    const role = payload.role === "admin" || payload.role === "service" ? payload.role : undefined;
    const principal: Principal = { email: String(payload.sub), ...(role && { role }) };
    if (verified.size >= CACHE_LIMIT) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal, expiresAt: Number(payload.exp) * 1000 });
    return principal;
  };
}

const principals = new WeakMap<Request, Principal>();
/** Requests whose token was refused, with the problem to answer: thrown by the first hook that sees them. */
const refusals = new WeakMap<Request, unknown>();

/** Whom the request's verified bearer token speaks for; undefined when it carries none. */
export const principalOf = (request: Request): Principal | undefined => principals.get(request);

/** The request's principal, or a 401 problem when it carries no token. */
export function requirePrincipal(request: Request, what = "This"): Principal {
  const principal = principals.get(request);
  if (!principal) throw unauthorized(`${what} needs a bearer token`);
  return principal;
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Bearer tokens on every route: a request that carries `Authorization` has its token verified before
 * anything else (401 problem when it does not verify, whatever the route), and the handler reads who
 * it is with `principalOf` / `requirePrincipal`.
 *
 * The verification wraps the app's request handler (Elysia's `wrap`) rather than sitting in an `async`
 * request hook: one async hook makes Elysia's handler of every request async, token or not. So a request
 * without a token costs a header lookup and nothing else; one with a token is verified first, and a refusal
 * is thrown by the plugin's (synchronous) request hook, after the case id is given, so the 401 is the kit's
 * problem answer, logged and counted like any other. The request log's duration starts after verification.
 */
export const bearerAuth = (verify: TokenVerifier) =>
  new Elysia({ name: "kit.bearer-auth" })
    .wrap((handle, request: Request) => {
      const header = request.headers.get("authorization");
      if (header === null) return handle;
      const match = BEARER.exec(header);
      if (!match) {
        refusals.set(request, unauthorized("The Authorization header is not a bearer token", "invalid_request"));
        return handle;
      }
      return (request: Request) =>
        verify(match[1]!).then(
          (principal) => {
            principals.set(request, principal);
            return handle(request);
          },
          (error) => {
            refusals.set(request, error);
            return handle(request);
          },
        );
    })
    .onRequest(function refuseBadToken({ request }) {
      const refusal = refusals.get(request);
      if (refusal !== undefined) throw refusal;
    });

/** The OpenAPI security scheme the documents declare, and what a route that takes a token says. */
export const BEARER_SCHEME = { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } as const;
export const NEEDS_TOKEN = [{ bearerAuth: [] as string[] }];

/** The verifier of a service that reads its keys from the users service (`authSettings`). */
export const tokenVerifierOf = (config: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string }) =>
  createTokenVerifier({ keys: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
