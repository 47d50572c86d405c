import { Type } from "@sinclair/typebox";
import { urlSetting } from "@w2meet/kit";

/** The settings of a service that publishes through an outbox to RabbitMQ: the same names and defaults in every service. */
export const brokerSettings = {
  AMQP_URL: urlSetting(["amqp", "amqps"], "amqp://guest:guest@127.0.0.1:5672"),
  QUEUE_PREFIX: Type.String({
    pattern: "^[A-Za-z0-9._-]{1,64}$",
    default: "w2meet",
    description: "Prefix of the exchanges and queues, e.g. w2meet.tasks",
  }),
  OUTBOX_POLL_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: "Polling fallback of the relay" }),
};
