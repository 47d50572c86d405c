import { CASE_ID_HEADER, errorFields, withTimeout, type Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import type { Broker } from "../queue/connection.ts";
import type { QueueNames } from "../queue/topology.ts";

/** The channel the outbox trigger notifies on commit. */
const OUTBOX_CHANNEL = "worker_outbox";
const BATCH_SIZE = 100;
// A broker that neither confirms nor drops the connection must not hold the claimed rows forever.
const CONFIRM_TIMEOUT_MS = 10_000;

// A row carries a task's message or a verification mail's: `task_id` or `verification_id` is set.
type OutboxRow = { id: string; task_id: string | null; verification_id: string | null; case_id: string; message: unknown };

/**
 * Publishes the outbox to RabbitMQ: a task's message with the tasks' routing key, a verification mail's
 * with theirs, to the one exchange. Rows are claimed with FOR UPDATE SKIP LOCKED (several replicas may
 * relay at once without sending a row twice), published on the confirm channel, and marked sent in the
 * same transaction only after the broker confirmed every one of them. It wakes on LISTEN/NOTIFY, on
 * every (re)connection to RabbitMQ, and on a timer, so a missed notification only delays a message.
 */
export function createOutboxRelay(deps: { sql: Sql; broker: Broker; names: QueueNames; pollMs: number; logger: Logger }) {
  const { sql, broker, names, logger } = deps;
  let draining: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let lastWarning = 0;

  const publishBatch = () =>
    sql.begin(async (tx) => {
      const rows = await tx<OutboxRow[]>`
        select id, task_id, verification_id, case_id, message from outbox
        where sent_at is null order by id limit ${BATCH_SIZE}
        for update skip locked`;
      if (!rows.length) return 0;
      const confirmed = Promise.all(
        rows.map((row) =>
          broker.publish(
            names.exchange,
            row.task_id ? names.routingKey : names.verification.routingKey,
            Buffer.from(JSON.stringify(row.message)),
            {
              persistent: true,
              contentType: "application/json",
              messageId: (row.task_id ?? row.verification_id)!,
              timestamp: Math.floor(Date.now() / 1000),
              headers: { [CASE_ID_HEADER]: row.case_id },
            },
          ),
        ),
      );
      await withTimeout(confirmed, CONFIRM_TIMEOUT_MS, `RabbitMQ did not confirm within ${CONFIRM_TIMEOUT_MS} ms`);
      await tx`update outbox set sent_at = now() where id = any(${rows.map((row) => row.id)}::bigint[])`;
      for (const row of rows) {
        if (row.task_id) logger.debug("task message published", { case_id: row.case_id, task_id: row.task_id });
        else logger.debug("verification mail message published", { case_id: row.case_id, mail_id: row.verification_id });
      }
      return rows.length;
    });

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        while (!stopped && broker.connected() && (await publishBatch()) === BATCH_SIZE);
      } catch (error) {
        // Rows stay unsent and are tried again on the next wake-up; one line a few seconds at most.
        if (performance.now() - lastWarning > 5000) {
          lastWarning = performance.now();
          logger.warn("outbox relay could not publish; will retry", { ...errorFields(error), stack: undefined });
        }
      }
    } while (again && !stopped);
  }

  /** Runs a drain, or asks the one under way to run again so nothing committed meanwhile waits for the timer. */
  function wake(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (draining) {
      again = true;
      return draining;
    }
    draining = drain().finally(() => (draining = null));
    return draining;
  }

  return {
    wake,
    async start(): Promise<void> {
      const listening = await sql.listen(
        OUTBOX_CHANNEL,
        () => void wake(),
        () => void wake(),
      );
      unlisten = listening.unlisten;
      broker.onReady(() => void wake());
      timer = setInterval(() => void wake(), deps.pollMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await draining;
      await unlisten?.().catch(() => undefined);
    },
  };
}
