import type { Sql } from "@w2meet/kit/postgres";
import type { Outcome } from "./consumer.ts";

/** A connection of its own for one delivery: an advisory lock belongs to the session that took it. */
type Reserved = Awaited<ReturnType<Sql["reserve"]>>;

/** What a claim statement answers: whether it took the lock, and the row it claimed (no id: none to claim). */
type ClaimRow<Status> = { locked: boolean; id?: string | null; status: Status | null; attempts?: number; error: string | null };

/** A delivery's outcome, with the statuses a finished row of this kind can have. */
type ClaimedOutcome<Status> = Exclude<Outcome, { kind: "finished" }> | { kind: "finished"; status: Status };

/**
 * One delivery's work on a row that a Postgres advisory lock guards (a task, a verification mail), on a
 * connection of its own. `claim` takes the lock without waiting and claims the row in one statement; then
 * this answers busy (another worker holds it), the row's status (finished already, or gone: unknown),
 * failed (its attempts are spent), or runs `attempt`, which settles the row and releases the lock. Advisory
 * locks are not transactional: once a statement that may take one was sent, it is released here unless
 * `attempt` settled.
 */
export async function underClaim<Status, Row extends ClaimRow<Status>>(
  sql: Sql,
  steps: {
    claim: (db: Reserved) => Promise<Row[]>;
    statusNow: (db: Reserved) => Promise<Status | undefined>;
    unlock: (db: Reserved) => Promise<unknown>;
    attempt: (db: Reserved, row: Row & { id: string }) => Promise<ClaimedOutcome<Status>>;
  },
): Promise<ClaimedOutcome<Status>> {
  const db = await sql.reserve();
  let mayHoldLock = false;
  try {
    mayHoldLock = true;
    const [row] = await steps.claim(db);
    if (!row!.locked) {
      mayHoldLock = false;
      return { kind: "busy" };
    }
    if (!row!.id) {
      const status = await steps.statusNow(db);
      return status === undefined ? { kind: "unknown" } : { kind: "finished", status };
    }
    if (row!.status === "failed") return { kind: "failed", attempt: row!.attempts!, reason: row!.error! };
    const outcome = await steps.attempt(db, row as Row & { id: string });
    mayHoldLock = false;
    return outcome;
  } finally {
    try {
      if (mayHoldLock) await steps.unlock(db);
    } finally {
      db.release();
    }
  }
}
