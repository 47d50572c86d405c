import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** The issuer and audience the services expect by default (the kit's authSettings). */
export const TEST_ISSUER = "w2meet-users";
export const TEST_AUDIENCE = "w2meet";

/**
 * A stand-in for the users service as the issuer of tokens: an Ed25519 key, its JWKS served on a real
 * local port (`jwksUrl`, for a service's JWKS_URL), and `token()` to sign tokens as the users service
 * would — or, with options, the ways a token can be wrong (expired, another audience or issuer).
 */
export async function startTestIssuer(kid = `test-${crypto.randomUUID().slice(0, 8)}`) {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  const jwks = { keys: [jwk] };
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json(jwks) });
  return {
    jwks,
    jwksUrl: `http://127.0.0.1:${server.port}/auth/jwks.json`,
    /** A token for `email` (role admin or service when given), valid 15 minutes unless `expiresIn` says otherwise. */
    token: (
      email: string,
      options: { role?: "admin" | "service"; expiresIn?: string; audience?: string; issuer?: string } = {},
    ): Promise<string> =>
      new SignJWT(options.role ? { role: options.role } : {})
        .setProtectedHeader({ alg: "EdDSA", kid })
        .setSubject(email)
        .setIssuer(options.issuer ?? TEST_ISSUER)
        .setAudience(options.audience ?? TEST_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "15m")
        .sign(privateKey),
    stop: () => server.stop(true),
  };
}
export type TestIssuer = Awaited<ReturnType<typeof startTestIssuer>>;
