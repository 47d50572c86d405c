import { afterAll, expect, test } from "bun:test";
import { createServer } from "node:net";
import { checkBroker } from "./broker-check.ts";
import { TEST_AMQP_URL } from "./servers.ts";

// Takes connections and never says a word, as a broker out of file descriptors does.
const silent = createServer(() => undefined).listen(0, "127.0.0.1");
await new Promise((resolve) => silent.once("listening", resolve));
afterAll(() => silent.close());

test("checkBroker passes the test broker, which round-trips a message through a quorum queue", async () => {
  await checkBroker(TEST_AMQP_URL);
});

test("checkBroker fails, within its time limit, on a broker that takes the connection and never answers", async () => {
  const { port } = silent.address() as { port: number };
  await expect(checkBroker(`amqp://guest:guest@127.0.0.1:${port}`, 500)).rejects.toThrow(/within 500 ms|timeout/i);
});

test("checkBroker fails on a broker that refuses the credentials", async () => {
  const url = new URL(TEST_AMQP_URL);
  url.password = "not-the-password";
  await expect(checkBroker(url.toString(), 5_000)).rejects.toThrow();
});
