import {
  DEFAULT_DURATION_MINUTES,
  type CreateTask,
  type DatedSuggestion,
  type FieldError,
  type Task,
  type TaskAccepted,
  type TaskStatus,
} from "@w2meet/contracts";
import { conflict, groupOf, invalid, ProblemError } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import { readWindow } from "@w2meet/schedule";

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
  request_hash: string;
  created_at: Date;
  updated_at: Date;
};

/** Where a task is followed, under the base URL the client reached the API at (kit's `publicBase`). */
const statusUrl = (apiBase: string, taskId: string) => `${apiBase}/tasks/${taskId}`;
/** Where a finished task's invitation is read. */
const inviteUrl = (apiBase: string, taskId: string) => `${statusUrl(apiBase, taskId)}/invite.ics`;

/** Where a task looks for its slot, as asked: each part only when given (the zone in the database's spelling). */
type Window = { from?: string; days?: number; tz?: string };

/**
 * The attendees and the window of a request, or one 400 naming every offending field: the group, and a
 * `from` that is neither a date nor an ISO 8601 instant (or lies too far from today), or an unknown `tz`.
 */
function readRequest(body: CreateTask): { users: string[]; window: Window } {
  const errors: FieldError[] = [];
  let users: string[] = [];
  try {
    users = groupOf(body, "Name the attendees with users: [email, ...]");
  } catch (error) {
    if (!(error instanceof ProblemError && error.extras.errors)) throw error;
    errors.push(...error.extras.errors);
  }
  const from = body.from?.trim();
  const read = readWindow({ from, days: body.days, tz: body.tz }, Date.now());
  if (Array.isArray(read)) errors.push(...read);
  if (errors.length || Array.isArray(read)) throw invalid(errors, "The request body has invalid fields");
  return {
    users,
    window: {
      ...(from !== undefined && { from }),
      ...(body.days !== undefined && { days: body.days }),
      ...(body.tz !== undefined && { tz: read.zone }),
    },
  };
}

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
  const { users, window } = readRequest(body);
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
  const hashed = { ...task, ...window, ...(organizer !== null && { organizer }) };
  const requestHash = new Bun.CryptoHasher("sha256").update(JSON.stringify(hashed)).digest("hex");
  const key = request.idempotencyKey ?? null;
  const id = Bun.randomUUIDv7();
  // The task and its outbox row in one statement (so one transaction and one round trip); the trigger
  // on outbox notifies the relays at commit.
  const [inserted] = await inTime(sql<Pick<TaskRow, "id" | "status">[]>`
    with task as (
      insert into tasks (id, users, preference, duration, title, notify, organizer, window_from, window_days, time_zone,
                         idempotency_key, request_hash, case_id)
      values (${id}, ${task.users}, ${task.preference}, ${task.duration}, ${task.title}, ${task.notify}, ${organizer},
              ${window.from ?? null}, ${window.days ?? null}, ${window.tz ?? null}, ${key}, ${requestHash}, ${request.caseId})
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
    select id, status, users, duration, title, notify, organizer, not_notified, attempts, suggestion, error, created_at, updated_at
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
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(row.status === "done" && row.suggestion
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

/** A task's invitation: null for an unknown task, `ics: null` until the task is done. */
export async function findInvite({ sql, inTime }: TasksDeps, taskId: string): Promise<{ status: TaskStatus; ics: string | null } | null> {
  const [row] = await inTime(sql<{ status: TaskStatus; invite: string | null }[]>`select status, invite from tasks where id = ${taskId}`);
  if (!row) return null;
  return { status: row.status, ics: row.status === "done" ? row.invite : null };
}
