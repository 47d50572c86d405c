// Deletes the queues and exchanges that test and benchmark runs left on the local RabbitMQ, then checks
// that it round-trips a message through a quorum queue (broker-check.ts); exits 1 when it does not.
// Usage: bun packages/testing/src/sweep-broker.ts   (CI runs it before the tests, and restarts a broker
// it fails on)
//
// Every run names its topology with TEST_TOPOLOGY_PREFIX and removes it when it ends, but a run that is
// killed cannot. Quorum queues keep files open in the broker, so enough leftovers exhaust its file
// descriptors and it stops accepting connections. Only queues nobody consumes, and then exchanges nothing
// is bound to any more, are removed, so a run in progress elsewhere keeps the queues it consumes and their
// exchanges (not its dead letters or delay queues: sweep between runs). The names come from rabbitmqctl
// (AMQP cannot list them); the deletes go over one AMQP connection, which is far quicker than a rabbitmqctl
// call per queue.
import { $ } from "bun";
import amqp from "amqplib";
import { reportBroker } from "./broker-check.ts";
import { TEST_TOPOLOGY_PREFIX } from "./rabbit.ts";
import { TEST_AMQP_URL } from "./servers.ts";

const LIST_TIMEOUT = "60";

async function listed(what: "list_queues" | "list_exchanges", columns: string[]): Promise<string[][]> {
  const out = await $`timeout ${LIST_TIMEOUT} rabbitmqctl -q ${what} ${columns} --no-table-headers`.quiet();
  return out
    .text()
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => line.split("\t"));
}

/** Removes the leftover test topology; answers how many queues and exchanges went. */
async function sweepTestTopology(): Promise<{ queues: number; exchanges: number }> {
  const ours = (name: string | undefined): name is string => !!name?.startsWith(TEST_TOPOLOGY_PREFIX);
  const queues = (await listed("list_queues", ["name", "consumers"]))
    .filter(([name, consumers]) => ours(name) && consumers === "0")
    .map(([name]) => name!);
  const exchanges = (await listed("list_exchanges", ["name"])).map(([name]) => name).filter(ours);
  if (queues.length === 0 && exchanges.length === 0) return { queues: 0, exchanges: 0 };
  const connection = await amqp.connect(TEST_AMQP_URL, { timeout: 10_000 });
  let removedExchanges = 0;
  try {
    let channel = await connection.createChannel();
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) {
      // The broker refuses one still in use by closing the channel: go on with a new one.
      channel.on("error", () => undefined);
      try {
        await channel.deleteExchange(exchange, { ifUnused: true });
        removedExchanges++;
      } catch {
        channel = await connection.createChannel();
      }
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
  return { queues: queues.length, exchanges: removedExchanges };
}

if (import.meta.main) {
  const swept = await sweepTestTopology();
  console.log(`broker: removed ${swept.queues} leftover test queues and ${swept.exchanges} exchanges`);
  // Exits 1 when the broker, swept, still does not do what the tests ask of it (the caller restarts it).
  process.exit((await reportBroker()) ? 0 : 1);
}
