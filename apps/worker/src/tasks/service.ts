import { DEFAULT_DURATION_MINUTES, type CreateTask, type Suggestion, type Task, type TaskAccepted, type TaskStatus } from "@w2meet/contracts";
import { conflict, invalid, normalizeGroup } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";

/** What the task routes work with; made once in app.ts. */
export type TasksDeps = { sql: Sql; publicUrl: string };

/** The summary of an invitation whose request named no title. */
export const DEFAULT_TITLE = "W2Meet meeting";

type TaskRow = {
  id: string;
  status: TaskStatus;
  users: string[];
  duration: number;
  title: string;
  notify: boolean;
  attempts: number;
  suggestion: Suggestion | null;
  error: string | null;
  request_hash: string;
  created_at: Date;
  updated_at: Date;
};

/** Where a task is followed, through the gateway. */
export const statusUrl = (publicUrl: string, taskId: string) => `${publicUrl}/api/tasks/${taskId}`;
/** Where a finished task's invitation is read, through the gateway. */
export const inviteUrl = (publicUrl: string, taskId: string) => `${statusUrl(publicUrl, taskId)}/invite.ics`;

/** The distinct, lower-cased attendees a task body names: `users`, or the seed system's `userId1` and `userId2`. */
export function taskGroup(body: CreateTask): string[] {
  if (body.users !== undefined) return normalizeGroup(body.users, "users");
  if (body.userId1 !== undefined || body.userId2 !== undefined) {
    const missing = (["userId1", "userId2"] as const).filter((key) => body[key] === undefined);
    if (missing.length) throw invalid(missing.map((path) => ({ path, message: "Required with the other userId" })));
    return normalizeGroup([body.userId1!, body.userId2!], "users");
  }
  throw invalid([{ path: "users", message: "Name the attendees with users: [email, ...]" }]);
}

/**
 * Accepts a task: in one transaction the task (queued) and the outbox row that will carry its message.
 * With an `Idempotency-Key` already used for the same request, answers the task made then and writes
 * nothing; the same key with a different request is a 409.
 */
export async function createTask(
  { sql, publicUrl }: TasksDeps,
  body: CreateTask,
  request: { caseId: string; idempotencyKey?: string },
): Promise<TaskAccepted> {
  const task = {
    users: taskGroup(body),
    preference: body.preference ?? null,
    duration: body.duration ?? DEFAULT_DURATION_MINUTES,
    title: body.title ?? DEFAULT_TITLE,
    notify: body.notify ?? false,
  };
  const requestHash = new Bun.CryptoHasher("sha256").update(JSON.stringify(task)).digest("hex");
  const key = request.idempotencyKey ?? null;
  const id = Bun.randomUUIDv7();
  const row = await sql.begin(async (tx) => {
    const [inserted] = await tx<Pick<TaskRow, "id" | "status">[]>`
      insert into tasks (id, users, preference, duration, title, notify, idempotency_key, request_hash, case_id)
      values (${id}, ${task.users}, ${task.preference}, ${task.duration}, ${task.title}, ${task.notify},
              ${key}, ${requestHash}, ${request.caseId})
      on conflict (idempotency_key) do nothing
      returning id, status`;
    if (inserted) {
      await tx`insert into outbox (task_id, case_id, message) values (${id}, ${request.caseId}, ${sql.json({ task_id: id })})`;
      return inserted;
    }
    const [first] = await tx<Pick<TaskRow, "id" | "status" | "request_hash">[]>`
      select id, status, request_hash from tasks where idempotency_key = ${key}`;
    if (first!.request_hash !== requestHash) throw conflict("This Idempotency-Key was already used for a different request");
    return first!;
  });
  return { task_id: row.id, status: row.status, status_url: statusUrl(publicUrl, row.id) };
}

/** A task as `GET /tasks/{task_id}` answers it; null when unknown. */
export async function findTask({ sql, publicUrl }: TasksDeps, taskId: string): Promise<Task | null> {
  const [row] = await sql<TaskRow[]>`
    select id, status, users, duration, title, notify, attempts, suggestion, error, created_at, updated_at
    from tasks where id = ${taskId}`;
  if (!row) return null;
  return {
    task_id: row.id,
    status: row.status,
    attempts: row.attempts,
    users: row.users,
    duration: row.duration,
    title: row.title,
    notify: row.notify,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...(row.status === "done" && row.suggestion
      ? { result: { suggestion: row.suggestion, invite_url: inviteUrl(publicUrl, row.id) } }
      : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/** A task's invitation: null for an unknown task, `ics: null` until the task is done. */
export async function findInvite({ sql }: TasksDeps, taskId: string): Promise<{ status: TaskStatus; ics: string | null } | null> {
  const [row] = await sql<{ status: TaskStatus; invite: string | null }[]>`select status, invite from tasks where id = ${taskId}`;
  if (!row) return null;
  return { status: row.status, ics: row.status === "done" ? row.invite : null };
}
