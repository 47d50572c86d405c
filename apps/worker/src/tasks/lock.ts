import type { Sql } from "@w2meet/kit/postgres";

/**
 * The two keys of a task's advisory lock, held by whoever works on the task (a first booking, or a
 * re-check after a change): both are hashed from text so that other users of advisory locks do not clash.
 */
export const taskLockKeys = (db: Sql, taskId: string) => db`hashtext('worker.task'), hashtext(${taskId})`;
