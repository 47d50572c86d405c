import type { VerificationMailAccepted } from "@w2meet/contracts";
import type { Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import { MailError, type Mailer } from "../invite/mail.ts";
import { underClaim } from "../queue/claimed.ts";
import type { Outcome } from "../queue/consumer.ts";

type MailStatus = VerificationMailAccepted["status"];

/** What became of one delivery of a verification mail message: a finished mail was sent or had expired (or was already finished). */
type MailOutcome = Exclude<Outcome, { kind: "finished" }> | { kind: "finished"; status: MailStatus };

export type SendDeps = { sql: Sql; mailer: Mailer; maxAttempts: number };

type Claim = {
  locked: boolean;
  id: string | null;
  status: MailStatus | null;
  email: string;
  code: string | null;
  expires_at: Date;
  attempts: number;
  error: string | null;
};

/** The subject of every verification mail. */
export const VERIFICATION_SUBJECT = "Your W2Meet verification code";

/** "2026-11-21 16:45 UTC": when a code expires, as the mail says it. */
const utcMinute = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

const textOf = (code: string, expiresAt: Date) =>
  `Your W2Meet verification code is ${code}\n\n` +
  `Enter it in W2Meet to prove this address is yours. It expires at ${utcMinute(expiresAt)} and works once.\n\n` +
  "If you did not ask for it, ignore this mail: nothing changes until the code is entered.";

// The advisory lock of a verification mail; its own namespace, apart from the tasks'.
const LOCK_KEYS = (db: Sql, mailId: string) => db`hashtext('worker.verification-mail'), hashtext(${mailId})`;

/**
 * In one round trip: takes the mail's lock (without waiting) and, if it got it, claims the mail, counting
 * the attempt. `sending` is claimable too: its worker died mid-attempt, since only one holds the lock.
 * A mail whose attempts are all spent (its last one died) fails instead of getting one more.
 */
const claim = (db: Sql, mailId: string, maxAttempts: number) => db<Claim[]>`
  with lock as materialized (select pg_try_advisory_lock(${LOCK_KEYS(db, mailId)}) as locked),
  claimed as (
    update verification_mails set
      status = case when attempts < ${maxAttempts} then 'sending' else 'failed' end,
      attempts = least(attempts + 1, ${maxAttempts}),
      error = case when attempts < ${maxAttempts} then error else coalesce(error, 'The last attempt was interrupted') end,
      code = case when attempts < ${maxAttempts} then code end,
      updated_at = now()
    from lock
    where lock.locked and verification_mails.id = ${mailId} and verification_mails.status in ('queued', 'sending')
    returning verification_mails.id, verification_mails.status, verification_mails.email, verification_mails.code,
              verification_mails.expires_at, verification_mails.attempts, verification_mails.error
  )
  select lock.locked, claimed.* from lock left join claimed on true`;

/** Writes the mail's fields of this attempt and, in the same round trip, releases its lock (as the tasks' `settle`). */
const settle = (db: Sql, mailId: string, fields: Record<string, unknown>) => db`
  with changed as (
    update verification_mails set ${db(fields)}, updated_at = now() where id = ${mailId} returning 1
  )
  select pg_advisory_unlock(${LOCK_KEYS(db, mailId)}) from (select count(*) from changed) as written`;

async function attempt(db: Sql, deps: SendDeps, mail: Claim & { id: string }, log: Logger): Promise<MailOutcome> {
  if (mail.expires_at.getTime() <= Date.now() || mail.code === null) {
    log.warn("verification code expired before it was mailed; not sent", { expired_at: mail.expires_at.toISOString() });
    await settle(db, mail.id, { status: "expired", code: null, error: null });
    return { kind: "finished", status: "expired" };
  }
  const domain = deps.mailer.organizer.email.split("@")[1] ?? "w2meet";
  // One Message-ID for every copy, so a mail system can drop a duplicate should the worker die after the server took it.
  const messageId = `<${mail.id}.verification@${domain}>`;
  try {
    const { path } = await deps.mailer.send({
      to: mail.email,
      subject: VERIFICATION_SUBJECT,
      text: textOf(mail.code, mail.expires_at),
      messageId,
    });
    if (path) log.info("verification mail written to file", { path });
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    log.warn("mail not accepted", error.detail);
    const last = mail.attempts >= deps.maxAttempts;
    // The code goes with the last attempt: it is of no use to anyone any more.
    await settle(db, mail.id, { status: last ? "failed" : "queued", error: error.message, ...(last ? { code: null } : {}) });
    return last
      ? { kind: "failed", attempt: mail.attempts, reason: error.message }
      : { kind: "retry", attempt: mail.attempts, reason: error.message };
  }
  // The code is erased once mailed: the worker keeps no secret it no longer needs.
  await settle(db, mail.id, { status: "sent", code: null, error: null, message_id: messageId, sent_at: new Date() });
  log.info("verification mail sent");
  return { kind: "finished", status: "sent" };
}

/**
 * One attempt at a verification mail, for one delivery of its message: claims it under a session
 * advisory lock (so a duplicate delivery never mails at the same time; Postgres drops the lock with the
 * connection if this process dies), leaves it unsent when its code has expired, mails it, and records it
 * sent. A finished mail (sent, expired or failed) is left alone, so a redelivery mails nothing.
 */
export function sendVerificationMail(deps: SendDeps, mailId: string, log: Logger): Promise<MailOutcome> {
  return underClaim<MailStatus, Claim>(deps.sql, {
    claim: (db) => claim(db, mailId, deps.maxAttempts),
    statusNow: async (db) => (await db<{ status: MailStatus }[]>`select status from verification_mails where id = ${mailId}`)[0]?.status,
    unlock: (db) => db`select pg_advisory_unlock(${LOCK_KEYS(db, mailId)})`,
    attempt: (db, mail) => attempt(db, deps, mail, log),
  });
}
