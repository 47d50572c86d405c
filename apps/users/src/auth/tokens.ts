import type { TokenResponse } from "@w2meet/contracts";
import { createTokenVerifier, TOKEN_ALGORITHM, type Principal, type TokenVerifier } from "@w2meet/kit";
import { SignJWT } from "jose";
import type { SigningKeys } from "./keys.ts";

/** Whom tokens of the users service itself name, when it calls another W2Meet service. */
const SERVICE_SUBJECT = "users@w2meet.internal";
/** A service token is made for one call: a minute is plenty, and little if it leaks. */
const SERVICE_TOKEN_SECONDS = 60;

/** What signing needs: the keys and the claims every token carries. */
export type TokenIssuer = { keys: SigningKeys; issuer: string; audience: string; ttlSeconds: number };

/** A JWT signed with the current key (EdDSA): `sub`, `iss`, `aud`, `iat`, `exp` and, when given, `role`. */
async function sign(issuer: TokenIssuer, subject: string, role: Principal["role"], ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(role ? { role } : {})
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: issuer.keys.kid, typ: "JWT" })
    .setSubject(subject)
    .setIssuer(issuer.issuer)
    .setAudience(issuer.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(issuer.keys.privateKey);
}

/** The answer of a login: a bearer token for `email`, with the admin role when the settings name it. */
export async function accessTokenFor(issuer: TokenIssuer, email: string, admin: boolean): Promise<TokenResponse> {
  return {
    access_token: await sign(issuer, email, admin ? "admin" : undefined, issuer.ttlSeconds),
    token_type: "Bearer",
    expires_in: issuer.ttlSeconds,
  };
}

/** A short-lived token of role `service`, for the users service's own calls to other services (the worker). */
export const signServiceToken = (issuer: TokenIssuer): Promise<string> => sign(issuer, SERVICE_SUBJECT, "service", SERVICE_TOKEN_SECONDS);

/** Verifies tokens against the service's own public keys (current and previous), with no network call. */
export const localTokenVerifier = (issuer: TokenIssuer): TokenVerifier =>
  createTokenVerifier({ keys: issuer.keys.jwks, issuer: issuer.issuer, audience: issuer.audience });
