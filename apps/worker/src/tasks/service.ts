import {
  DEFAULT_DURATION_MINUTES,
  type CreateTask,
  type DatedSuggestion,
  type Task,
  type TaskAccepted,
  type TaskStatus,
} from "@w2meet/contracts";
import { conflict } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import { BOOKED_STATUSES, readRequest } from "./request.ts";

/** What the task routes work with; made once in app.ts. */
export type TasksDeps = { sql: Sql; inTime: Deadline };

/** The summary of an invitation whose request named no title. */
const DEFAULT_TITLE = "W2Meet meeting";

type TaskRow = {
  id: string;
  status: TaskStatus;
  users: string[];
  duration: number;
  title: string;
  notify: boolean;
  organizer: string | null;
  not_notified: string[] | null;
  attempts: number;
  suggestion: DatedSuggestion | null;
  error: string | null;
  required: string[] | null;
  min_attendees: number | null;
  book_at: Date | null;
  sequence: number;
  change_reason: string | null;
  changed_at: Date | null;
  request_hash: string;
  created_at: Date;
  updated_at: Date;
};

/** Where a task is followed, under the base URL the client reached the API at (kit's `publicBase`). */
const statusUrl = (apiBase: string, taskId: string) => `${apiBase}/tasks/${taskId}`;
/** Where a finished task's invitation is read. */
const inviteUrl = (apiBase: string, taskId: string) => `${statusUrl(apiBase, taskId)}/invite.ics`;

/**
 * Accepts a task: in one transaction the task (queued) and the outbox row that will carry its message.
 * With an `Idempotency-Key` already used for the same request, answers the task made then and writes
 * nothing; the same key with a different request (another organizer included) is a 409.
 */
export async function createTask(
  { sql, inTime }: TasksDeps,
  body: CreateTask,
  request: { organizer: string | null; caseId: string; idempotencyKey?: string; apiBase: string },
): Promise<TaskAccepted> {
  const { users, window, attendance } = readRequest(body);
  const task = {
    users,
    preference: body.preference ?? null,
    duration: body.duration ?? DEFAULT_DURATION_MINUTES,
    title: body.title ?? DEFAULT_TITLE,
    notify: body.notify ?? false,
  };
  const organizer = request.organizer?.toLowerCase() ?? null;
  // Only what a request gives is hashed: without an organizer or a window, the hash is the one tasks had
  // before there were either, so a key keeps its meaning.
  const hashed = { ...task, ...window, ...attendance, ...(organizer !== null && { organizer }) };
  const requestHash = new Bun.CryptoHasher("sha256").update(JSON.stringify(hashed)).digest("hex");
  const key = request.idempotencyKey ?? null;
  const id = Bun.randomUUIDv7();
  // The task and its outbox row in one statement (so one transaction and one round trip); the trigger
  // on outbox notifies the relays at commit.
  const [inserted] = await inTime(sql<Pick<TaskRow, "id" | "status">[]>`
    with task as (
      insert into tasks (id, users, preference, duration, title, notify, organizer, window_from, window_days, time_zone,
                         book_at, required, min_attendees, idempotency_key, request_hash, case_id)
      values (${id}, ${task.users}, ${task.preference}, ${task.duration}, ${task.title}, ${task.notify}, ${organizer},
              ${window.from ?? null}, ${window.days ?? null}, ${window.tz ?? null}, ${window.at ?? null}, ${attendance.required ?? null},
              ${attendance.min_attendees ?? null}, ${key}, ${requestHash}, ${request.caseId})
      on conflict (idempotency_key) do nothing
      returning id, status
    ), message as (
      insert into outbox (task_id, case_id, message) select id, ${request.caseId}, ${sql.json({ task_id: id })} from task
    )
    select id, status from task`);
  const row = inserted ?? (await firstWithKey({ sql, inTime }, key!, requestHash));
  return { task_id: row.id, status: row.status, status_url: statusUrl(request.apiBase, row.id) };
}

/** The task an `Idempotency-Key` was first used for; a 409 when that was for a different request. */
async function firstWithKey({ sql, inTime }: TasksDeps, key: string, requestHash: string): Promise<Pick<TaskRow, "id" | "status">> {
  const [first] = await inTime(sql<Pick<TaskRow, "id" | "status" | "request_hash">[]>`
    select id, status, request_hash from tasks where idempotency_key = ${key}`);
  if (first!.request_hash !== requestHash) throw conflict("This Idempotency-Key was already used for a different request");
  return first!;
}

/** A task as `GET /tasks/{task_id}` answers it; null when unknown. */
export async function findTask({ sql, inTime }: TasksDeps, taskId: string, apiBase: string): Promise<Task | null> {
  const [row] = await inTime(sql<TaskRow[]>`
    select id, status, users, duration, title, notify, organizer, not_notified, attempts, suggestion, error, required,
           min_attendees, book_at, sequence, change_reason, changed_at, created_at, updated_at
    from tasks where id = ${taskId}`);
  if (!row) return null;
  return {
    task_id: row.id,
    status: row.status,
    attempts: row.attempts,
    users: row.users,
    duration: row.duration,
    title: row.title,
    notify: row.notify,
    organizer: row.organizer,
    ...(row.required !== null && { required: row.required }),
    ...(row.min_attendees !== null && { min_attendees: row.min_attendees }),
    ...(row.book_at !== null && { at: row.book_at.toISOString() }),
    sequence: row.sequence,
    ...(row.change_reason !== null && row.changed_at && { change: { reason: row.change_reason, at: row.changed_at.toISOString() } }),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(BOOKED_STATUSES.has(row.status) && row.suggestion
      ? {
          result: {
            suggestion: row.suggestion,
            invite_url: inviteUrl(apiBase, row.id),
            // With notify: who was not mailed (an old task, done before addresses were checked, mailed everyone).
            ...(row.notify ? { not_notified: row.not_notified ?? [] } : {}),
          },
        }
      : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/**
 * A task's current invitation: null for an unknown task, `ics: null` until the task is booked. Once
 * cancelled, the cancellation (METHOD:CANCEL).
 */
export async function findInvite({ sql, inTime }: TasksDeps, taskId: string): Promise<{ status: TaskStatus; ics: string | null } | null> {
  const [row] = await inTime(sql<{ status: TaskStatus; invite: string | null }[]>`select status, invite from tasks where id = ${taskId}`);
  if (!row) return null;
  return { status: row.status, ics: BOOKED_STATUSES.has(row.status) ? row.invite : null };
}
