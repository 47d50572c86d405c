import type { VerificationMail, VerificationMailAccepted } from "@w2meet/contracts";
import { conflict } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";

/** What the verification mail route works with; made once in app.ts. */
export type VerificationDeps = { sql: Sql; inTime: Deadline };

type Accepted = { id: string; status: VerificationMailAccepted["status"] };

/**
 * Accepts a verification mail: in one statement (so one transaction) the mail (queued) and the outbox
 * row that will carry its message, so an accepted mail is never lost. An `Idempotency-Key` already used
 * for the same mail answers the mail made then and writes nothing; for a different mail it is a 409.
 */
export async function acceptVerificationMail(
  { sql, inTime }: VerificationDeps,
  body: VerificationMail,
  request: { caseId: string; idempotencyKey: string },
): Promise<VerificationMailAccepted> {
  const mail = { email: body.email.toLowerCase(), code: body.code, expires_at: new Date(body.expires_at).toISOString() };
  const requestHash = new Bun.CryptoHasher("sha256").update(JSON.stringify(mail)).digest("hex");
  const id = Bun.randomUUIDv7();
  const [inserted] = await inTime(sql<Accepted[]>`
    with mail as (
      insert into verification_mails (id, email, code, expires_at, idempotency_key, request_hash, case_id)
      values (${id}, ${mail.email}, ${mail.code}, ${mail.expires_at}, ${request.idempotencyKey}, ${requestHash}, ${request.caseId})
      on conflict (idempotency_key) do nothing
      returning id, status
    ), message as (
      insert into outbox (verification_id, case_id, message) select id, ${request.caseId}, ${sql.json({ mail_id: id })} from mail
    )
    select id, status from mail`);
  const row = inserted ?? (await firstWithKey({ sql, inTime }, request.idempotencyKey, requestHash));
  return { mail_id: row.id, status: row.status };
}

/** The mail an `Idempotency-Key` was first used for; a 409 when that was for a different mail. */
async function firstWithKey({ sql, inTime }: VerificationDeps, key: string, requestHash: string): Promise<Accepted> {
  const [first] = await inTime(sql<(Accepted & { request_hash: string })[]>`
    select id, status, request_hash from verification_mails where idempotency_key = ${key}`);
  if (first!.request_hash !== requestHash) throw conflict("This Idempotency-Key was already used for a different verification mail");
  return { id: first!.id, status: first!.status };
}
