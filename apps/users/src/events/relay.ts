import { createOutboxRelay, type Broker, type OutboxRow } from "@w2meet/broker";
import { eventsExchange, PERSON_CHANGED_ROUTING_KEY, type PersonChanged } from "@w2meet/contracts";
import type { Logger } from "@w2meet/kit";
import type { Sql } from "@w2meet/kit/postgres";

type EventRow = OutboxRow & { email: string; message: PersonChanged };

/**
 * Publishes the users service's events: each `users_outbox` row, once ready (see 0005_events.sql), as a
 * `person.changed` message on the events exchange. It is mandatory: until a subscriber's queue is bound
 * (the worker declares it), a row stays unsent rather than being dropped by the broker.
 */
export function createEventRelay(deps: { sql: Sql; broker: Broker; prefix: string; pollMs: number; logger: Logger }) {
  const exchange = eventsExchange(deps.prefix);
  return createOutboxRelay<EventRow>({
    ...deps,
    table: "users_outbox_ready",
    channel: "users_outbox",
    publicationOf: (row) => ({
      exchange,
      routingKey: PERSON_CHANGED_ROUTING_KEY,
      body: row.message,
      messageId: `person-changed.${row.message.version}`,
      mandatory: true,
      label: "person.changed event",
      fields: { email: row.email, version: row.message.version },
    }),
  });
}
