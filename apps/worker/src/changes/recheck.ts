import type { PersonChanged } from "@w2meet/contracts";
import type { Logger, ServiceClient } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import type { Mailer } from "../invite/mail.ts";
import type { Outcome } from "../queue/consumer.ts";
import { isTransient, PermanentFailure } from "../tasks/suggest.ts";
import { followBooking, type FollowResult } from "./follow.ts";

export type RecheckDeps = { sql: Sql; suggestions: ServiceClient; mailer: Mailer; maxAttempts: number };

/**
 * The tasks a change of `email` may concern: their booked meetings still to come, the tasks being booked
 * right now (their answer may predate the change), and any task that still owes the mails of its last
 * change (a crash came between storing it and mailing).
 */
const tasksOf = (sql: Sql, email: string) => sql<{ id: string }[]>`
  select id from tasks
  where users @> array[${email}]::text[]
    and (status in ('done', 'rebooked') and starts_at > now() or status in ('queued', 'running') or mails_owed)
  order by id`;

/** Counts a failed attempt at this change; answers how many there have been. */
async function failedAttempt(sql: Sql, event: PersonChanged): Promise<number> {
  const [row] = await sql<{ attempts: number }[]>`
    insert into person_rechecks (email, version, attempts) values (${event.email}, ${event.version}, 1)
    on conflict (email, version) do update set attempts = person_rechecks.attempts + 1
    returning attempts`;
  return row!.attempts;
}

const forget = (sql: Sql, event: PersonChanged) =>
  sql`delete from person_rechecks where email = ${event.email} and version = ${event.version}`;

/**
 * The work of one person.changed event, idempotent at every step: re-checks every booked upcoming
 * meeting of the person (see `followBooking`), one task at a time. A booking another worker holds makes
 * the event come back later (busy), after the others are done; a transient failure (the suggestions
 * service or SMTP away) retries it, up to the worker's MAX_ATTEMPTS; a refusal no retry can fix
 * dead-letters it once the other bookings are re-checked.
 */
export async function recheckPerson(deps: RecheckDeps, event: PersonChanged, caseId: string, log: Logger): Promise<Outcome> {
  const counts: Record<FollowResult, number> = { unchanged: 0, rebooked: 0, cancelled: 0, skipped: 0, busy: 0 };
  const refusals: string[] = [];
  try {
    for (const { id } of await tasksOf(deps.sql, event.email)) {
      try {
        counts[await followBooking(deps, id, event.email, caseId, log)] += 1;
      } catch (error) {
        if (!(error instanceof PermanentFailure)) throw error;
        log.warn("booking not re-checked", { task_id: id, error: error.message });
        refusals.push(error.message);
      }
    }
  } catch (error) {
    if (!isTransient(error)) throw error;
    const attempt = await failedAttempt(deps.sql, event);
    const reason = (error as Error).message;
    if (attempt < deps.maxAttempts) return { kind: "retry", attempt, reason };
    await forget(deps.sql, event);
    return { kind: "failed", attempt, reason };
  }
  log.info("bookings re-checked", { email: event.email, ...counts });
  if (counts.busy) return { kind: "busy" };
  await forget(deps.sql, event);
  if (refusals.length) return { kind: "failed", attempt: 1, reason: refusals[0]! };
  return { kind: "finished", status: counts.rebooked || counts.cancelled ? "changed" : "unchanged" };
}
