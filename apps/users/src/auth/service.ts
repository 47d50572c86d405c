import type { TokenRequest, TokenResponse } from "@w2meet/contracts";
import { unauthorized } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import { passwordMatches } from "./passwords.ts";
import type { LoginThrottle } from "./throttle.ts";
import { accessTokenFor, type TokenIssuer } from "./tokens.ts";

/** What logins work with; made once in app.ts. */
export type AuthDeps = { sql: Sql; inTime: Deadline; throttle: LoginThrottle; tokens: TokenIssuer; admins: ReadonlySet<string> };

/**
 * A token for the owner of a protected profile. A wrong password, an unknown email and a profile with
 * no password are the same 401, after the same Argon2id check; too many failures are a 429 before it.
 */
export async function login(deps: AuthDeps, input: TokenRequest, clientIp: string): Promise<TokenResponse> {
  const email = input.email.toLowerCase();
  const attempt = await deps.throttle.begin(email, clientIp);
  let matches: boolean;
  try {
    const [row] = await deps.inTime(deps.sql<{ password_hash: string | null }[]>`
      select password_hash from users where lower(email) = ${email}`);
    matches = await passwordMatches(input.password, row?.password_hash ?? null);
  } catch (error) {
    await deps.throttle.release(attempt);
    throw error;
  }
  if (!matches) throw unauthorized("The email or the password is not right");
  await deps.throttle.succeeded(attempt);
  return accessTokenFor(deps.tokens, email, deps.admins.has(email));
}

/**
 * Who is asking, for the per-IP count: the first address of X-Forwarded-For (Traefik sets it, replacing
 * what a client sent), else the connection's own address.
 */
export function clientIpOf(request: Request, server: { requestIP(request: Request): { address: string } | null } | null): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  if (forwarded) return forwarded;
  return server?.requestIP(request)?.address ?? "unknown";
}
