import { CASE_ID_HEADER, errorFields, withTimeout, type Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";
import type { Broker } from "./connection.ts";

const BATCH_SIZE = 100;
// A broker that neither confirms nor drops the connection must not hold the claimed rows forever.
const CONFIRM_TIMEOUT_MS = 10_000;

/** The columns every outbox table has; the rest are the owner's, read by its `publicationOf`. */
export type OutboxRow = { id: string; case_id: string };

/** Where and how one outbox row is published. */
type Publication = {
  exchange: string;
  routingKey: string;
  /** The message body, sent as JSON. */
  body: unknown;
  messageId: string;
  /** The broker must route it to a queue, or the row stays unsent (see the broker's `publish`). */
  mandatory?: boolean;
  /** What the debug line written once it is published calls it ("task message" gives "task message published"). */
  label?: string;
  /** Fields of that line, e.g. its task_id. */
  fields?: Record<string, unknown>;
};

export type OutboxRelayOptions<Row extends OutboxRow> = {
  sql: Sql;
  broker: Broker;
  /** The outbox table (or an updatable view of the rows ready to go): `id`, `case_id`, `sent_at` and the owner's columns. */
  table: string;
  /** The channel its insert trigger notifies at commit. */
  channel: string;
  publicationOf: (row: Row) => Publication;
  pollMs: number;
  logger: Logger;
};

/**
 * Publishes an outbox table to RabbitMQ. Rows are claimed with FOR UPDATE SKIP LOCKED (several replicas
 * may relay at once without sending a row twice), published on the confirm channel, and marked sent in
 * the same transaction only after the broker confirmed every one of them. It wakes on LISTEN/NOTIFY, on
 * every (re)connection to RabbitMQ, and on a timer, so a missed notification only delays a message.
 */
export function createOutboxRelay<Row extends OutboxRow>(options: OutboxRelayOptions<Row>) {
  const { sql, broker, table, logger } = options;
  let draining: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let lastWarning = 0;

  const publishBatch = () =>
    sql.begin(async (tx) => {
      const rows = await tx<Row[]>`
        select * from ${tx(table)} where sent_at is null order by id limit ${BATCH_SIZE}
        for update skip locked`;
      if (!rows.length) return 0;
      const publications = rows.map((row) => options.publicationOf(row));
      const confirmed = Promise.all(
        rows.map((row, i) => {
          const publication = publications[i]!;
          return broker.publish(publication.exchange, publication.routingKey, Buffer.from(JSON.stringify(publication.body)), {
            persistent: true,
            contentType: "application/json",
            messageId: publication.messageId,
            mandatory: publication.mandatory ?? false,
            timestamp: Math.floor(Date.now() / 1000),
            headers: { [CASE_ID_HEADER]: row.case_id },
          });
        }),
      );
      await withTimeout(confirmed, CONFIRM_TIMEOUT_MS, `RabbitMQ did not confirm within ${CONFIRM_TIMEOUT_MS} ms`);
      await tx`update ${tx(table)} set sent_at = now() where id = any(${rows.map((row) => row.id)}::bigint[])`;
      for (const [i, row] of rows.entries()) {
        const { label = "message", fields } = publications[i]!;
        logger.debug(`${label} published`, { case_id: row.case_id, ...fields });
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
        options.channel,
        () => void wake(),
        () => void wake(),
      );
      unlisten = listening.unlisten;
      broker.onReady(() => void wake());
      timer = setInterval(() => void wake(), options.pollMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await draining;
      await unlisten?.().catch(() => undefined);
    },
  };
}
