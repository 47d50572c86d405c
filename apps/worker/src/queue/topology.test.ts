import { createBroker } from "@w2meet/broker";
import { createLogger } from "@w2meet/kit";
import { openRabbit, TEST_AMQP_URL, uniquePrefix, waitFor, type Rabbit } from "@w2meet/testing";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { declareTopology, queueNames } from "./topology.ts";

const names = queueNames(uniquePrefix("topology"));
const delays = [100, 200];
const logger = createLogger({ service: "worker", level: "error" });
let rabbit: Rabbit;

beforeAll(async () => {
  rabbit = await openRabbit();
});

afterAll(async () => {
  await rabbit.removeTopology(names, delays);
  await rabbit.close();
});

async function withTopology(check: () => Promise<void>) {
  const broker = createBroker({ url: TEST_AMQP_URL, logger, declare: (channel) => declareTopology(channel, names, delays) });
  broker.start();
  try {
    await waitFor(() => broker.connected());
    await check();
  } finally {
    await broker.close();
  }
}

test("declares durable quorum queues, a dead-letter queue and one delay queue per retry delay, for every lane", async () => {
  await withTopology(async () => {
    for (const lane of [names, names.verification, names.personChanges]) {
      for (const queue of [lane.queue, lane.deadLetterQueue, lane.retryQueue(100), lane.retryQueue(200)]) {
        expect((await rabbit.channel.checkQueue(queue)).queue).toBe(queue);
      }
    }
  });
});

test("routes a person.changed event to the person-changes queue, and its delayed retry back to that queue only", async () => {
  await withTopology(async () => {
    await rabbit.publish(names.eventsExchange, "person.changed", Buffer.from('{"n":1}'));
    await waitFor(async () => (await rabbit.depth(names.personChanges.queue)) === 1, { what: "the event in its queue" });
    await rabbit.takeAll(names.personChanges.queue);
    await rabbit.publish("", names.personChanges.retryQueue(100), Buffer.from('{"n":2}'));
    const [retried] = await waitFor(
      async () => {
        const taken = await rabbit.takeAll(names.personChanges.queue);
        return taken.length ? taken : null;
      },
      { what: "the retry back in the queue" },
    );
    expect(JSON.parse(retried!.content.toString())).toEqual({ n: 2 });
    expect(await rabbit.depth(names.queue)).toBe(0);
  });
});
