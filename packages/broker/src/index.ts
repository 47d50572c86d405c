/**
 * @w2meet/broker — what the services that talk to RabbitMQ share: one supervised connection with a
 * confirm channel, the outbox relay that publishes a table's rows after the broker confirmed them, the
 * events exchange, the arguments of quorum queues that dead-letter at least once, and the settings.
 */
export { createBroker, type Broker } from "./connection.ts";
export { AT_LEAST_ONCE_DEAD_LETTERING } from "./dead-lettering.ts";
export { assertEventsExchange } from "./events.ts";
export { createOutboxRelay, type OutboxRow } from "./relay.ts";
export { brokerSettings } from "./settings.ts";
