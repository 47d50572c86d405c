import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import type { User, VerificationMail, VerificationSent, VerifyEmailConfirm } from "@w2meet/contracts";
import { errorFields, forbidden, invalid, type Logger, notFound, ProblemError, type ServiceClient } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import { hashPassword } from "../auth/passwords.ts";
import { signServiceToken, type TokenIssuer } from "../auth/tokens.ts";
import { markEmailVerified } from "../users/service.ts";

/** What email verification works with; made once in app.ts. */
export type VerificationDeps = { sql: Sql; inTime: Deadline; worker: ServiceClient; tokens: TokenIssuer; logger: Logger };

const CODE_MINUTES = 15;
const RESEND_SECONDS = 60;
const MAX_TRIES = 5;

/**
 * The stored form of a code: HMAC-SHA-256 over the verification's id, the address and the code, keyed by
 * a secret that is not in the database. A plain hash of six digits would fall to a million guesses by
 * whoever reads the table; with the key it cannot be checked without the service. It is fast and constant
 * in time, unlike Argon2id, which a code that lives 15 minutes and allows 5 tries does not need.
 */
const codeHash = (secret: Buffer, id: string, email: string, code: string) =>
  createHmac("sha256", secret).update(`${id}\n${email}\n${code}`).digest();

const unavailable = () =>
  new ProblemError(
    "unavailable",
    "The code could not be sent: the worker service, which mails it, is unavailable; try again shortly",
    {},
    {
      "retry-after": "5",
    },
  );

/**
 * Makes a new six-digit code for a registered address (replacing any pending one), keeps only its hash,
 * and has the worker mail it. At most one code per address a minute (429). If the worker does not take
 * the mail, the new code is dropped again and the answer is 503.
 */
export async function sendCode(deps: VerificationDeps, email: string, caseId: string): Promise<VerificationSent> {
  const { sql, inTime, tokens } = deps;
  const key = email.toLowerCase();
  const id = crypto.randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const hash = codeHash(tokens.keys.codeSecret, id, key, code).toString("base64url");
  const outcome = await inTime.transaction(sql, async (tx) => {
    const [user] = await tx`select 1 from users where lower(email) = ${key}`;
    if (!user) return { unknown: true } as const;
    const [made] = await tx<{ expires_at: Date }[]>`
      insert into email_verifications (email, id, code_hash, expires_at)
      values (${key}, ${id}, ${hash}, now() + make_interval(mins => ${CODE_MINUTES}))
      on conflict (email) do update
        set id = excluded.id, code_hash = excluded.code_hash, expires_at = excluded.expires_at, tries = 0, created_at = now()
        where email_verifications.created_at <= now() - make_interval(secs => ${RESEND_SECONDS})
      returning expires_at`;
    if (made) return { expiresAt: made.expires_at } as const;
    const [held] = await tx<{ wait: number }[]>`
      select ceil(extract(epoch from created_at + make_interval(secs => ${RESEND_SECONDS}) - now()))::int as wait
      from email_verifications where email = ${key}`;
    return { wait: Math.max(1, held?.wait ?? 1) } as const;
  });
  if ("unknown" in outcome) throw notFound(`No user with email ${key}`);
  if ("wait" in outcome) {
    throw new ProblemError(
      "too_many_requests",
      `A code was sent to ${key} less than a minute ago; ask again in ${outcome.wait} s`,
      {},
      {
        "retry-after": String(outcome.wait),
      },
    );
  }
  const expiresAt = outcome.expiresAt.toISOString();
  await mail(deps, { email: key, code, expires_at: expiresAt }, id, caseId);
  return { email: key, expires_at: expiresAt };
}

/** Hands the mail to the worker; on any failure the new code is removed again (no half-made verification). */
async function mail(deps: VerificationDeps, body: VerificationMail, id: string, caseId: string): Promise<void> {
  const { sql, inTime, worker, tokens, logger } = deps;
  try {
    const answer = await worker.post("/verification-mails", body, {
      caseId,
      headers: { authorization: `Bearer ${await signServiceToken(tokens)}` },
      idempotencyKey: id,
    });
    if (answer.status >= 200 && answer.status < 300) return;
    // A 4xx is a fault of this system (a key the worker does not know, a contract out of step), not of the caller.
    logger.error("the worker refused a verification mail", { case_id: caseId, status: answer.status, answer: answer.body });
  } catch (error) {
    logger.warn("verification mail not handed to the worker", { case_id: caseId, ...errorFields(error), stack: undefined });
  }
  await inTime(sql`delete from email_verifications where email = ${body.email} and id = ${id}`).catch(() => {});
  throw unavailable();
}

type Confirmation = { kind: "verified"; user: User } | { kind: "none"; detail: string } | { kind: "wrong"; left: number };

/**
 * Checks a mailed code: the right one, before it expires, marks the address verified and is used up; a
 * wrong one counts a try, and the fifth wrong try burns the code. Nothing pending (never asked for,
 * expired, used or burnt) is a 400 that says to ask for a new one.
 */
export async function confirmCode(deps: VerificationDeps, input: VerifyEmailConfirm): Promise<User> {
  const { sql, inTime, tokens } = deps;
  const key = input.email.toLowerCase();
  // A password here protects an open profile; a protected one changes its password with its token (PUT).
  let passwordHash: string | undefined;
  if (input.password !== undefined) {
    const [profile] = await inTime(sql<{ password_hash: string | null }[]>`select password_hash from users where lower(email) = ${key}`);
    if (profile && profile.password_hash !== null) {
      throw forbidden(`The profile of ${key} is already protected: change its password with PUT /users/{email} and its owner's token`);
    }
    passwordHash = await hashPassword(input.password);
  }
  const nothingPending = "No code is pending for this email: ask for a new one (POST /auth/verify-email)";
  // Decided inside the transaction, thrown after it: a wrong try must be counted, not rolled back.
  const outcome = await inTime.transaction(sql, async (tx): Promise<Confirmation> => {
    const [pending] = await tx<{ id: string; code_hash: string; tries: number; expired: boolean }[]>`
      select id, code_hash, tries, expires_at <= now() as expired from email_verifications where email = ${key} for update`;
    if (!pending) return { kind: "none", detail: nothingPending };
    if (pending.expired) {
      await tx`delete from email_verifications where email = ${key}`;
      return { kind: "none", detail: "The code has expired: ask for a new one (POST /auth/verify-email)" };
    }
    const stored = Buffer.from(pending.code_hash, "base64url");
    const given = codeHash(tokens.keys.codeSecret, pending.id, key, input.code);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) {
      const tries = pending.tries + 1;
      if (tries >= MAX_TRIES) await tx`delete from email_verifications where email = ${key}`;
      else await tx`update email_verifications set tries = ${tries} where email = ${key}`;
      return { kind: "wrong", left: MAX_TRIES - tries };
    }
    await tx`delete from email_verifications where email = ${key}`;
    const user = await markEmailVerified(tx, key, passwordHash);
    return user ? { kind: "verified", user } : { kind: "none", detail: nothingPending };
  });
  if (outcome.kind === "verified") return outcome.user;
  if (outcome.kind === "none") throw invalid([{ path: "code", message: outcome.detail }], "No verification code is pending for this email");
  const message =
    outcome.left > 0
      ? `Not the code that was mailed; ${outcome.left} ${outcome.left === 1 ? "try" : "tries"} left`
      : "Not the code that was mailed, five times: the code is void; ask for a new one (POST /auth/verify-email)";
  throw invalid([{ path: "code", message }], "The verification code is not right");
}
