import type { DatedSuggestion, TaskStatus } from "@w2meet/contracts";
import type { Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import { buildInvite } from "../invite/ics.ts";
import { mailInvitations } from "../invite/mail.ts";
import { invitationMail } from "../invite/notice.ts";
import { taskLockKeys } from "../tasks/lock.ts";
import { fitsAt, suggest, UnknownPeople, windowFrom, type BookingRules } from "../tasks/suggest.ts";
import type { RecheckDeps } from "./recheck.ts";

/** A booked task as a re-check reads it, under its lock. */
type BookedTask = BookingRules & {
  id: string;
  status: TaskStatus;
  title: string;
  notify: boolean;
  suggestion: DatedSuggestion;
  invite: string;
  not_notified: string[] | null;
  sequence: number;
  change_reason: string | null;
  starts_at: Date;
  mails_owed: boolean;
};

/** What the mails of a task's current invitation are made from. */
type Invited = Pick<
  BookedTask,
  "id" | "status" | "users" | "title" | "time_zone" | "suggestion" | "invite" | "not_notified" | "sequence" | "change_reason"
>;

/** What a re-check did to one booking: nothing, moved it, called it off, or could not look (another worker holds it). */
export type FollowResult = "unchanged" | "rebooked" | "cancelled" | "skipped" | "busy";

const readTask = (db: Sql, taskId: string) => db<BookedTask[]>`
  select id, status, users, required, min_attendees, preference, duration, title, notify, window_from, window_days, time_zone,
         book_at, suggestion, invite, not_notified, sequence, change_reason, starts_at, mails_owed, created_at
  from tasks where id = ${taskId}`;

/**
 * Mails the task's current invitation (its sequence) to its recipients (the attendees whose address was
 * verified at the first booking) that do not have it yet, then marks nothing owed any more.
 */
async function mailOwed(db: Sql, deps: RecheckDeps, task: Invited, log: Logger): Promise<void> {
  const skipped = new Set(task.not_notified ?? []);
  const attendees = task.users.filter((email) => !skipped.has(email));
  const invitation = { taskId: task.id, sequence: task.sequence, attendees, ...invitationMail(task), ics: task.invite };
  await mailInvitations(db, deps.mailer, invitation, log);
  await db`update tasks set mails_owed = false where id = ${task.id} and sequence = ${task.sequence}`;
}

/** The booking's next state, decided by the suggestions service: null when the booked time still fits. */
async function decide(deps: RecheckDeps, task: BookedTask, person: string, caseId: string) {
  try {
    if (await fitsAt(deps.suggestions, task, task.starts_at, caseId)) return null;
  } catch (error) {
    // Someone of the group is gone (deleted): no time can suit the group as it was booked.
    if (!(error instanceof UnknownPeople)) throw error;
    const gone = error.missing.length ? error.missing : [person];
    return { status: "cancelled" as const, reason: `${gone.join(", ")} ${gone.length > 1 ? "are" : "is"} no longer registered` };
  }
  const reason = `${person} is no longer free at the booked time`;
  if (task.book_at) return { status: "cancelled" as const, reason: `${reason}, and the task was for that time only` };
  const window = windowFrom(task, Date.now());
  const next = window ? await suggest(deps.suggestions, task, caseId, window) : null;
  if (!next) return { status: "cancelled" as const, reason: `${reason}, and no other time in the task's window fits` };
  // The answers crossed a change that made the booked time fit again: nothing moves.
  if (Date.parse(next.start) === task.starts_at.getTime()) return null;
  return { status: "rebooked" as const, reason, suggestion: next };
}

/**
 * Re-checks one booking after `person` changed, under the task's advisory lock (taken without waiting:
 * busy when another worker holds it, or while the task is still being booked). Mails still owed for the current sequence (a crash after the last
 * change was stored) go first. A past, cancelled or unbooked task is left alone; a booking whose time
 * still fits is left alone, with no mail. Otherwise the task is moved to the first slot of its window
 * still ahead (rebooked) or, with none (or for a task booked for one start, `at`), cancelled: the new state, its invitation (same UID, next
 * SEQUENCE) and the mails it owes are stored in one statement before any mail is sent.
 */
export async function followBooking(deps: RecheckDeps, taskId: string, person: string, caseId: string, log: Logger): Promise<FollowResult> {
  const db = await deps.sql.reserve();
  try {
    const [lock] = await db<{ locked: boolean }[]>`select pg_try_advisory_lock(${taskLockKeys(db, taskId)}) as locked`;
    if (!lock!.locked) return "busy";
    try {
      const [task] = await readTask(db, taskId);
      // Being booked, on an answer that may predate the change (a first attempt under way, or a suggestion
      // stored and its mails waiting for a retry): look again once it is booked. Not yet asked: it will ask anew.
      if (task?.status === "running" || (task?.status === "queued" && task.suggestion)) return "busy";
      if (!task || !["done", "rebooked", "cancelled"].includes(task.status)) return "skipped";
      if (task.mails_owed) await mailOwed(db, deps, task, log);
      if (task.status === "cancelled" || task.starts_at.getTime() <= Date.now()) return "unchanged";
      const next = await decide(deps, task, person, caseId);
      if (!next) return "unchanged";
      const sequence = task.sequence + 1;
      const suggestion = next.status === "rebooked" ? next.suggestion : task.suggestion;
      const invite = buildInvite({
        taskId,
        title: task.title,
        attendees: task.users,
        suggestion,
        stampedAt: new Date(),
        organizer: deps.mailer.organizer,
        sequence,
        cancelled: next.status === "cancelled",
      });
      const [changed] = await db<Invited[]>`
        update tasks set status = ${next.status}, suggestion = ${db.json(suggestion)}, invite = ${invite}, sequence = ${sequence},
          starts_at = ${new Date(suggestion.start)}, ends_at = ${new Date(suggestion.end)}, change_reason = ${next.reason},
          changed_at = now(), mails_owed = ${task.notify}, updated_at = now()
        where id = ${taskId}
        returning id, status, users, title, notify, time_zone, suggestion, invite, not_notified, sequence, change_reason`;
      log.info(`booking ${next.status}`, { task_id: taskId, sequence, reason: next.reason });
      if (task.notify) await mailOwed(db, deps, changed!, log);
      return next.status;
    } finally {
      await db`select pg_advisory_unlock(${taskLockKeys(db, taskId)})`;
    }
  } finally {
    db.release();
  }
}
