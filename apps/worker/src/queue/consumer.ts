import { PersonChanged, TaskMessage, VerificationMailMessage } from "@w2meet/contracts";
import { CASE_ID_HEADER, errorFields, resolveCaseId, type Logger } from "@w2meet/kit";
import type { TSchema, Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { Channel, ConsumeMessage } from "amqplib";
import type { Broker } from "@w2meet/broker";
import type { Lane } from "./topology.ts";

/** What became of one delivery; the consumer acks, delays or dead-letters accordingly. */
export type Outcome =
  /** The work is finished (now, or already before: a redelivery), with the status it ended in. */
  | { kind: "finished"; status: string }
  /** Attempt `attempt` failed for a reason that may pass; try again later. */
  | { kind: "retry"; attempt: number; reason: string }
  /** It failed for good: after its last attempt, or for a reason no retry can fix. */
  | { kind: "failed"; attempt: number; reason: string }
  /** Nothing has this id. */
  | { kind: "unknown" }
  /** Another worker is on it right now (a duplicate delivery); look again later. */
  | { kind: "busy" };

// What the consumer does with a delivery: the outcome, or the attempt broke off unexpectedly.
type Settlement = Outcome | { kind: "interrupted" };

type Decoded<M> = { message: M } | { poison: string };

/** Reads a message of `schema`, or says why it is poison: not JSON, or not the expected shape (`what`). */
function decodeMessage<S extends TSchema>(schema: S, what: string, content: Buffer): Decoded<Static<S>> {
  let value: unknown;
  try {
    value = JSON.parse(content.toString("utf8"));
  } catch {
    return { poison: "the body is not JSON" };
  }
  if (!Value.Check(schema, value)) {
    const first = Value.Errors(schema, value).First();
    return { poison: `the body is not ${what}: ${first ? `${first.path || "/"} ${first.message}` : "unexpected shape"}` };
  }
  return { message: value };
}

/** Reads a task message, or says why it is poison. */
export const decodeTaskMessage = (content: Buffer) => decodeMessage(TaskMessage, "a task message", content);

/** Reads a verification mail message, or says why it is poison. */
export const decodeVerificationMessage = (content: Buffer) =>
  decodeMessage(VerificationMailMessage, "a verification mail message", content);

/** Reads a person.changed event, or says why it is poison. */
export const decodePersonChanged = (content: Buffer) => decodeMessage(PersonChanged, "a person.changed event", content);

export type ConsumerDeps<M> = {
  broker: Broker;
  /** The queue to read, its delay queues and (through its arguments) its dead letters. */
  lane: Pick<Lane, "queue" | "retryQueue">;
  prefetch: number;
  logger: Logger;
  /** Names the work in log lines: "task" gives "task message handled". */
  label: string;
  decode: (content: Buffer) => Decoded<M>;
  /** Log fields that name the work of a message, e.g. its task_id. */
  fieldsOf: (message: M) => Record<string, unknown>;
  /** Does the work of one message for one delivery. */
  run: (message: M, caseId: string, log: Logger) => Promise<Outcome>;
  /** How long the message waits after attempt `attempt` failed. */
  retryDelayMs: (attempt: number) => number;
};

/**
 * A consumer of one lane: its own channel with bounded prefetch and manual acks, re-created on every
 * connection. Each delivery is acked only after its work is stored; a retry is a copy published to the
 * lane's delay queue (confirmed) before the original is acked; poison and final failures are rejected
 * without requeue, which dead-letters them to the lane's dead-letter queue.
 */
export function createConsumer<M>(deps: ConsumerDeps<M>) {
  const { broker, lane, logger, label } = deps;
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let active: { channel: Channel; consumerTag: string } | null = null;

  const republish = (message: ConsumeMessage, caseId: string, delayMs: number) =>
    broker.publish("", lane.retryQueue(delayMs), message.content, {
      persistent: true,
      contentType: "application/json",
      messageId: message.properties.messageId,
      headers: { [CASE_ID_HEADER]: caseId },
    });

  async function settle(channel: Channel, message: ConsumeMessage, outcome: Settlement, caseId: string, log: Logger) {
    if (outcome.kind === "retry" || outcome.kind === "busy" || outcome.kind === "interrupted") {
      try {
        await republish(message, caseId, deps.retryDelayMs(outcome.kind === "retry" ? outcome.attempt : 1));
      } catch (error) {
        // Without its delayed copy the message must not be acked: hand it back so it is not lost.
        log.warn("could not publish the retry; returning the message", { ...errorFields(error), stack: undefined });
        return tryOn(log, () => channel.nack(message, false, true));
      }
    }
    const deadLetter = outcome.kind === "failed" || outcome.kind === "unknown";
    tryOn(log, () => (deadLetter ? channel.nack(message, false, false) : channel.ack(message)));
  }

  async function handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const started = performance.now();
    const header = message.properties.headers?.[CASE_ID_HEADER];
    const caseId = resolveCaseId(typeof header === "string" ? header : Buffer.isBuffer(header) ? header.toString() : null);
    const decoded = deps.decode(message.content);
    const log = logger.child({
      case_id: caseId,
      message_id: message.properties.messageId,
      ...("message" in decoded ? deps.fieldsOf(decoded.message) : {}),
    });
    if ("poison" in decoded) {
      log.warn("poison message dead-lettered", { queue: lane.queue, reason: decoded.poison, redelivered: message.fields.redelivered });
      return tryOn(log, () => channel.nack(message, false, false));
    }
    let outcome: Settlement;
    try {
      outcome = await deps.run(decoded.message, caseId, log);
    } catch (error) {
      // Not a failure of the work's own (e.g. the database went away): look again after the first delay.
      log.error(`${label} attempt interrupted`, errorFields(error));
      outcome = { kind: "interrupted" };
    }
    await settle(channel, message, outcome, caseId, log);
    const level = outcome.kind === "failed" || outcome.kind === "unknown" ? "warn" : "info";
    log[level](`${label} message handled`, {
      outcome: outcome.kind,
      ...("status" in outcome ? { status: outcome.status } : {}),
      ...("attempt" in outcome ? { attempt: outcome.attempt } : {}),
      ...("reason" in outcome ? { error: outcome.reason } : {}),
      redelivered: message.fields.redelivered,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
    });
  }

  broker.onConnected(async ({ connection }) => {
    const channel = await connection.createChannel();
    channel.on("error", (error: Error) => logger.warn("rabbitmq consumer channel error", { queue: lane.queue, error: error.message }));
    channel.once("close", () => void (stopping ? undefined : connection.close().catch(() => undefined)));
    await channel.prefetch(deps.prefetch);
    const { consumerTag } = await channel.consume(
      lane.queue,
      (message) => {
        // null: the broker cancelled the consumer (e.g. the queue was deleted); reconnecting declares it again.
        if (!message) return void connection.close().catch(() => undefined);
        const work = handle(channel, message).finally(() => inFlight.delete(work));
        inFlight.add(work);
      },
      { noAck: false },
    );
    active = { channel, consumerTag };
  });

  return {
    /** Stops taking deliveries and waits (up to `timeoutMs`) for those under way to finish. */
    async stop(timeoutMs: number): Promise<void> {
      stopping = true;
      await active?.channel.cancel(active.consumerTag).catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

// Acking on a channel that closed meanwhile throws; the broker redelivers the message, which is safe.
function tryOn(log: Logger, settleMessage: () => void): void {
  try {
    settleMessage();
  } catch (error) {
    log.debug("message left for redelivery", { error: error instanceof Error ? error.message : String(error) });
  }
}
