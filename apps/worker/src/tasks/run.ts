import type { DatedSuggestion, TaskStatus } from "@w2meet/contracts";
import type { Logger, ServiceClient } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import { buildInvite } from "../invite/ics.ts";
import { mailInvitations, type Mailer } from "../invite/mail.ts";
import { underClaim } from "../queue/claimed.ts";
import type { Outcome } from "../queue/consumer.ts";
import { taskLockKeys } from "./lock.ts";
import { invitationMail } from "../invite/notice.ts";
import { unverifiedAttendees } from "./recipients.ts";
import { isTransient, PermanentFailure, suggest, type BookingRules } from "./suggest.ts";

/** What became of one delivery of a task message: a finished task ends done or no_slot (or was already finished). */
type TaskOutcome = Exclude<Outcome, { kind: "finished" }> | { kind: "finished"; status: TaskStatus };

export type RunDeps = { sql: Sql; suggestions: ServiceClient; users: ServiceClient; mailer: Mailer; maxAttempts: number };

type ClaimedTask = BookingRules & {
  id: string;
  title: string;
  notify: boolean;
  attempts: number;
  suggestion: DatedSuggestion | null;
  invite: string | null;
  not_notified: string[] | null;
};

type Claim = Partial<ClaimedTask> & { locked: boolean; status: TaskStatus | null; error: string | null };

/**
 * In one round trip: takes the task's lock (without waiting) and, if it got it, claims the task, counting
 * the attempt. `running` is claimable too: it is a task whose worker died mid-attempt, since only one
 * holds the lock. A task whose attempts are all spent (its last one died) fails instead of getting one more.
 * The lock CTE is materialized, so it runs once however the plan reads it.
 */
const claim = (db: Sql, taskId: string, maxAttempts: number) => db<Claim[]>`
  with lock as materialized (select pg_try_advisory_lock(${taskLockKeys(db, taskId)}) as locked),
  claimed as (
    update tasks set
      status = case when attempts < ${maxAttempts} then 'running' else 'failed' end,
      attempts = least(attempts + 1, ${maxAttempts}),
      error = case when attempts < ${maxAttempts} then error else coalesce(error, 'The last attempt was interrupted') end,
      updated_at = now()
    from lock
    where lock.locked and tasks.id = ${taskId} and tasks.status in ('queued', 'running')
    returning tasks.id, tasks.status, tasks.error, tasks.users, tasks.preference, tasks.duration, tasks.title,
              tasks.notify, tasks.attempts, tasks.window_from, tasks.window_days, tasks.time_zone, tasks.book_at, tasks.suggestion,
              tasks.invite, tasks.not_notified, tasks.required, tasks.min_attendees, tasks.created_at
  )
  select lock.locked, claimed.* from lock left join claimed on true`;

/**
 * Writes the task's final fields of this attempt and, in the same round trip, releases its lock. The
 * unlock reads the update's count, so it runs after the row is written; the row stays locked by the
 * uncommitted update until the commit, so a copy that takes the task's lock meanwhile waits for it and
 * then sees the task as it was left.
 */
const settle = (db: Sql, taskId: string, fields: Record<string, unknown>) => db`
  with changed as (
    update tasks set ${db(fields)}, updated_at = now() where id = ${taskId} returning 1
  )
  select pg_advisory_unlock(${taskLockKeys(db, taskId)}) from (select count(*) from changed) as written`;

async function attempt(db: Sql, deps: RunDeps, task: ClaimedTask, caseId: string, log: Logger): Promise<TaskOutcome> {
  const taskId = task.id;
  log.debug("task attempt started", { attempt: task.attempts });
  try {
    let { suggestion, invite } = task;
    const decided = Boolean(suggestion && invite);
    if (!suggestion || !invite) {
      suggestion = await suggest(deps.suggestions, task, caseId);
      if (!suggestion) {
        await settle(db, taskId, { status: "no_slot", error: null });
        return { kind: "finished", status: "no_slot" };
      }
      const facts = { taskId, title: task.title, attendees: task.users, suggestion };
      invite = buildInvite({ ...facts, stampedAt: new Date(), organizer: deps.mailer.organizer });
    }
    let notNotified = task.not_notified;
    if (task.notify) {
      // Only proven addresses are mailed; asked once, then kept, so every later attempt mails the same people.
      notNotified ??= await unverifiedAttendees(deps.users, task.users, caseId);
      // Mails must carry the stored bytes to the stored recipients, so both are kept before the first one is sent.
      if (!decided || !task.not_notified) {
        await db`update tasks set suggestion = ${db.json(suggestion)}, invite = ${invite}, not_notified = ${notNotified} where id = ${taskId}`;
      }
      const skipped = new Set(notNotified);
      const recipients = task.users.filter((email) => !skipped.has(email));
      if (skipped.size) log.info("attendees not mailed: address not verified", { not_notified: skipped.size, mailed: recipients.length });
      const mail = invitationMail({ ...task, status: "done", suggestion, change_reason: null });
      await mailInvitations(db, deps.mailer, { taskId, sequence: 0, attendees: recipients, ...mail, ics: invite }, log);
    }
    const booked = { starts_at: new Date(suggestion.start), ends_at: new Date(suggestion.end) };
    await settle(db, taskId, { status: "done", error: null, suggestion: db.json(suggestion), invite, ...booked });
    return { kind: "finished", status: "done" };
  } catch (error) {
    const permanent = error instanceof PermanentFailure;
    if (!permanent && !isTransient(error)) throw error;
    const reason = (error as Error).message;
    const last = permanent || task.attempts >= deps.maxAttempts;
    await settle(db, taskId, { status: last ? "failed" : "queued", error: reason });
    return last ? { kind: "failed", attempt: task.attempts, reason } : { kind: "retry", attempt: task.attempts, reason };
  }
}

/**
 * One attempt at a task, idempotent at every step: claims it (counting the attempt), asks the
 * suggestions service once (Case-ID passed on) unless a suggestion is already stored, makes the
 * invitation (stored before any mail), mails the attendees not yet mailed, and marks it done. A finished
 * task is left alone. A session advisory lock keeps a duplicate delivery from working on the same task
 * at the same time; Postgres drops the lock with the connection if this process dies. Two round trips
 * for a task without mail: lock and claim, then the result and the unlock.
 */
export function runTask(deps: RunDeps, taskId: string, caseId: string, log: Logger): Promise<TaskOutcome> {
  return underClaim<TaskStatus, Claim>(deps.sql, {
    claim: (db) => claim(db, taskId, deps.maxAttempts),
    statusNow: async (db) => (await db<{ status: TaskStatus }[]>`select status from tasks where id = ${taskId}`)[0]?.status,
    unlock: (db) => db`select pg_advisory_unlock(${taskLockKeys(db, taskId)})`,
    attempt: (db, task) => attempt(db, deps, task as ClaimedTask & Claim, caseId, log),
  });
}
