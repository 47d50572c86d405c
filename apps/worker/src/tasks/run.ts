import { SuggestionList, type Problem, type Suggestion, type TaskStatus } from "@w2meet/contracts";
import { ProblemError, type Logger, type ServiceClient } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import { Value } from "@sinclair/typebox/value";
import { buildInvite, nextOccurrence } from "../invite/ics.ts";
import { MailError, mailInvitations, type Mailer } from "../invite/mail.ts";

/** What became of one delivery of a task message; the consumer acks, delays or dead-letters accordingly. */
export type TaskOutcome =
  /** The task is done or has no slot (now, or already before: a redelivery). */
  | { kind: "finished"; status: TaskStatus }
  /** Attempt `attempt` failed for a reason that may pass; try again later. */
  | { kind: "retry"; attempt: number; reason: string }
  /** The task failed for good: after its last attempt, or for a reason no retry can fix. */
  | { kind: "failed"; attempt: number; reason: string }
  /** No task has this id. */
  | { kind: "unknown" }
  /** Another worker is on this task right now (a duplicate delivery); look again later. */
  | { kind: "busy" };

export type RunDeps = { sql: Sql; suggestions: ServiceClient; mailer: Mailer; maxAttempts: number };

type ClaimedTask = {
  id: string;
  users: string[];
  preference: string | null;
  duration: number;
  title: string;
  notify: boolean;
  attempts: number;
  suggestion: Suggestion | null;
  invite: string | null;
  created_at: Date;
};

/** A failure no retry can fix, e.g. an unknown attendee. */
class PermanentFailure extends Error {}

async function suggest(deps: RunDeps, task: ClaimedTask, caseId: string): Promise<Suggestion | null> {
  const query = new URLSearchParams({ users: task.users.join(","), duration: String(task.duration) });
  if (task.preference) query.set("preference", task.preference);
  const answer = await deps.suggestions.get<unknown>(`/suggestions?${query}`, caseId);
  if (answer.status === 404) {
    const missing = (answer.body as Partial<Problem>).missing;
    throw new PermanentFailure(missing?.length ? `Unknown users: ${missing.join(", ")}` : "The suggestions service knows none such users");
  }
  if (answer.status !== 200) {
    throw new PermanentFailure(`The suggestions service refused the task (${answer.status}): ${(answer.body as Partial<Problem>).detail ?? ""}`);
  }
  // The kit's Elysia has registered the string formats (email) this check needs.
  if (!Value.Check(SuggestionList, answer.body)) {
    throw new ProblemError("bad_gateway", "The suggestions service answered with an unexpected body");
  }
  return answer.body.suggestions[0] ?? null;
}

// Failures worth another attempt: the suggestions service unreachable or broken, SMTP not taking mail.
const isTransient = (error: unknown) =>
  error instanceof MailError ||
  (error instanceof ProblemError && ["unavailable", "bad_gateway", "gateway_timeout"].includes(error.code));

const meetingTime = (start: Date, hours: number) =>
  `${start.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}, ` +
  `${start.toISOString().slice(11, 16)}–${new Date(start.getTime() + hours * 3_600_000).toISOString().slice(11, 16)} UTC`;

async function attempt(db: Sql, deps: RunDeps, taskId: string, caseId: string, log: Logger): Promise<TaskOutcome> {
  // `running` is claimable too: it is a task whose worker died mid-attempt, since only one holds the lock.
  // A task whose attempts are all spent (its last one died) fails instead of getting one more.
  const [task] = await db<(ClaimedTask & { status: TaskStatus; error: string | null })[]>`
    update tasks set
      status = case when attempts < ${deps.maxAttempts} then 'running' else 'failed' end,
      attempts = least(attempts + 1, ${deps.maxAttempts}),
      error = case when attempts < ${deps.maxAttempts} then error else coalesce(error, 'The last attempt was interrupted') end,
      updated_at = now()
    where id = ${taskId} and status in ('queued', 'running')
    returning id, status, error, users, preference, duration, title, notify, attempts, suggestion, invite, created_at`;
  if (!task) {
    const [row] = await db<{ status: TaskStatus }[]>`select status from tasks where id = ${taskId}`;
    return row ? { kind: "finished", status: row.status } : { kind: "unknown" };
  }
  if (task.status === "failed") return { kind: "failed", attempt: task.attempts, reason: task.error! };
  log.debug("task attempt started", { attempt: task.attempts });
  try {
    let { suggestion, invite } = task;
    if (!suggestion || !invite) {
      suggestion = await suggest(deps, task, caseId);
      if (!suggestion) {
        await db`update tasks set status = 'no_slot', error = null, updated_at = now() where id = ${taskId}`;
        return { kind: "finished", status: "no_slot" };
      }
      const facts = { taskId, title: task.title, attendees: task.users, suggestion, createdAt: task.created_at };
      invite = buildInvite({ ...facts, stampedAt: new Date(), organizer: deps.mailer.organizer });
      await db`update tasks set suggestion = ${db.json(suggestion)}, invite = ${invite} where id = ${taskId}`;
    }
    if (task.notify) {
      const hours = suggestion.slot[1] - suggestion.slot[0];
      const when = meetingTime(nextOccurrence(task.created_at, suggestion.day, suggestion.slot[0]), hours);
      const text = `You are invited to "${task.title}" on ${when}, with ${task.users.join(", ")}.\nThe invitation is attached.`;
      await mailInvitations(db, deps.mailer, { taskId, attendees: task.users, subject: task.title, text, ics: invite }, log);
    }
    await db`update tasks set status = 'done', error = null, updated_at = now() where id = ${taskId}`;
    return { kind: "finished", status: "done" };
  } catch (error) {
    const permanent = error instanceof PermanentFailure;
    if (!permanent && !isTransient(error)) throw error;
    const reason = (error as Error).message;
    const last = permanent || task.attempts >= deps.maxAttempts;
    await db`
      update tasks set status = ${last ? "failed" : "queued"}, error = ${reason}, updated_at = now() where id = ${taskId}`;
    return last ? { kind: "failed", attempt: task.attempts, reason } : { kind: "retry", attempt: task.attempts, reason };
  }
}

/**
 * One attempt at a task, idempotent at every step: claims it (counting the attempt), asks the
 * suggestions service once (Case-ID passed on) unless a suggestion is already stored, makes and stores
 * the invitation, mails the attendees not yet mailed, and marks it done. A finished task is left alone.
 * A session advisory lock keeps a duplicate delivery from working on the same task at the same time;
 * Postgres drops the lock with the connection if this process dies.
 */
export async function runTask(deps: RunDeps, taskId: string, caseId: string, log: Logger): Promise<TaskOutcome> {
  const db = await deps.sql.reserve();
  try {
    const [lock] = await db<{ locked: boolean }[]>`
      select pg_try_advisory_lock(hashtext('worker.task'), hashtext(${taskId})) as locked`;
    if (!lock!.locked) return { kind: "busy" };
    try {
      return await attempt(db, deps, taskId, caseId, log);
    } finally {
      await db`select pg_advisory_unlock(hashtext('worker.task'), hashtext(${taskId}))`;
    }
  } finally {
    db.release();
  }
}
