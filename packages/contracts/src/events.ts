// Schemas of the events the services publish to one another on RabbitMQ.
import { Type, type Static } from "@sinclair/typebox";
import { EMAIL_PATTERN } from "./users.ts";

/** The durable topic exchange the W2Meet events are published to, under a queue prefix: `w2meet.events`. */
export const eventsExchange = (prefix: string) => `${prefix}.events`;

/** The routing key of `PersonChanged` on the events exchange. */
export const PERSON_CHANGED_ROUTING_KEY = "person.changed";

/**
 * The body of a `person.changed` event (`message_id` = `person-changed.<version>`, `case-id` header): the
 * users service changed when this person can meet (their week, if-needed week, time zone or a dated
 * exception), or deleted them. Checked with `Value.Check` on receipt, so its strings are patterns
 * rather than formats (formats need a registry).
 */
export const PersonChanged = Type.Object({
  email: Type.String({ pattern: EMAIL_PATTERN.source, maxLength: 254, description: "Lower-cased" }),
  version: Type.String({ pattern: "^[0-9]{1,19}$", description: "The person's version after the change; later changes have larger ones" }),
  changed_at: Type.String({
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z$",
    description: "When it was committed, UTC",
  }),
});
export type PersonChanged = Static<typeof PersonChanged>;
