import { afterAll, expect, test } from "bun:test";
import { createServer } from "node:net";
import { amqpAnswers } from "./servers.ts";

const silent = createServer(() => undefined).listen(0, "127.0.0.1");
await new Promise((resolve) => silent.once("listening", resolve));
afterAll(() => silent.close());

test("amqpAnswers tells a broker that answers from a port that only takes the connection", async () => {
  const amqpUrl = process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
  const { port } = silent.address() as { port: number };
  expect(await amqpAnswers(amqpUrl)).toBe(true);
  expect(await amqpAnswers(`amqp://127.0.0.1:${port}`, 300)).toBe(false);
});
