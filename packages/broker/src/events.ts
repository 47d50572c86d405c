import { eventsExchange } from "@w2meet/contracts";
import type { Channel } from "amqplib";

/**
 * Declares the durable topic exchange of the W2Meet events under `prefix` (idempotent): whoever publishes
 * and whoever subscribes declares it, so neither depends on the other having started first.
 */
export async function assertEventsExchange(channel: Channel, prefix: string): Promise<void> {
  await channel.assertExchange(eventsExchange(prefix), "topic", { durable: true });
}
