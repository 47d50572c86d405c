// The service client against real servers on 127.0.0.2–4 (all of 127.0.0.0/8 is loopback on Linux),
// one per replica on one shared port, with a resolver that names them for a made-up host.
import { afterEach, expect, test } from "bun:test";
import { waitFor } from "@w2meet/testing";
import type { ProblemError } from "./errors.ts";
import { createServiceClient } from "./http-client.ts";

const REPLICAS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];

/** A replica that counts the calls it gets and remembers the Host header of the last one. */
function startReplica(hostname: string, port: number, delayMs = 0) {
  const replica = {
    calls: 0,
    hosts: new Set<string | null>(),
    server: Bun.serve({
      hostname,
      port,
      fetch: async (request) => {
        replica.calls++;
        replica.hosts.add(request.headers.get("host"));
        if (delayMs) await Bun.sleep(delayMs);
        return Response.json({ replica: hostname });
      },
    }),
  };
  return replica;
}
type Replica = ReturnType<typeof startReplica>;

let running: Replica[] = [];
afterEach(() => {
  for (const replica of running) replica.server.stop(true);
  running = [];
});

/** Replicas on every address given, sharing one port: the first binds port 0, the rest take its port. */
function startReplicas(addresses: string[], delayMs = 0) {
  const first = startReplica(addresses[0]!, 0, delayMs);
  const port = first.server.port!;
  running = [first, ...addresses.slice(1).map((address) => startReplica(address, port, delayMs))];
  return { port, replicas: running };
}

/** `count` calls, `concurrency` at a time; returns how many failed. */
async function callMany(client: ReturnType<typeof createServiceClient>, count: number, concurrency = 10) {
  let failures = 0;
  for (let done = 0; done < count; done += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - done) }, () => client.get("/ping", "case-1"));
    failures += (await Promise.allSettled(batch)).filter((outcome) => outcome.status === "rejected").length;
  }
  return failures;
}

const within10Percent = (calls: number[], expected: number) => calls.every((count) => Math.abs(count - expected) <= expected * 0.1);

test("spreads calls within 10 % of even over every address the host resolves to, with its Host header", async () => {
  const { port, replicas } = startReplicas(REPLICAS);
  const client = createServiceClient({ name: "availability", baseUrl: `http://availability.test:${port}`, resolve: async () => REPLICAS });
  expect(await callMany(client, 300)).toBe(0);
  const calls = replicas.map((replica) => replica.calls);
  expect(within10Percent(calls, 100), `calls per replica: ${calls}`).toBe(true);
  for (const replica of replicas) expect([...replica.hosts]).toEqual([`availability.test:${port}`]);
});

test("a replica that stops costs no failed GET and is no longer chosen", async () => {
  const { port, replicas } = startReplicas(REPLICAS);
  const client = createServiceClient({ name: "availability", baseUrl: `http://availability.test:${port}`, resolve: async () => REPLICAS });
  expect(await callMany(client, 30)).toBe(0);
  const [first, stopped, third] = replicas as [Replica, Replica, Replica];
  stopped.server.stop(true);
  const before = { first: first.calls, third: third.calls };
  expect(await callMany(client, 300)).toBe(0);
  expect(client.target.replicas.inUse()).toEqual(["127.0.0.2", "127.0.0.4"]);
  const calls = [first.calls - before.first, third.calls - before.third];
  expect(within10Percent(calls, 150), `calls per live replica: ${calls}`).toBe(true);
});

test("a replica added to the host's addresses gets calls within the re-resolve interval", async () => {
  const { port, replicas } = startReplicas(REPLICAS);
  const answer = REPLICAS.slice(0, 2);
  const client = createServiceClient({
    name: "availability",
    baseUrl: `http://availability.test:${port}`,
    resolve: async () => answer,
    refreshMs: 100,
  });
  expect(await callMany(client, 30)).toBe(0);
  expect(replicas[2]!.calls).toBe(0);
  answer.push(REPLICAS[2]!);
  await waitFor(async () => (await callMany(client, 3)) === 0 && replicas[2]!.calls > 0, { what: "the added replica to get a call" });
});

test("does not retry a call that timed out: the replica may still be working on it", async () => {
  const { port, replicas } = startReplicas(REPLICAS, 500);
  const client = createServiceClient({
    name: "availability",
    baseUrl: `http://availability.test:${port}`,
    resolve: async () => REPLICAS,
    timeoutMs: 100,
  });
  const failure = (await client.get("/ping", "c").catch((error) => error)) as ProblemError;
  expect(failure.status).toBe(503);
  expect(failure.message).toBe("The availability service did not answer within 100 ms");
  expect(replicas.reduce((sum, replica) => sum + replica.calls, 0)).toBe(1);
});

test("every replica down, or a host that does not resolve, is a 503 problem", async () => {
  const { port } = startReplicas(REPLICAS);
  for (const replica of running) replica.server.stop(true);
  const down = createServiceClient({ name: "availability", baseUrl: `http://availability.test:${port}`, resolve: async () => REPLICAS });
  const unknown = createServiceClient({ name: "availability", baseUrl: "http://no-such-host.invalid:3002" });
  for (const client of [down, unknown]) {
    const failure = (await client.get("/ping", "c").catch((error) => error)) as ProblemError;
    expect(failure.status).toBe(503);
    expect(failure.message).toBe("The availability service is unreachable");
  }
});

test("resolves a real host name through the system's DNS: localhost", async () => {
  const replica = startReplica("127.0.0.1", 0);
  running = [replica];
  const port = replica.server.port!;
  const client = createServiceClient({ name: "availability", baseUrl: `http://localhost:${port}/` });
  expect(await callMany(client, 10)).toBe(0);
  expect(replica.calls).toBe(10);
  expect([...replica.hosts]).toEqual([`localhost:${port}`]);
  expect(client.target.replicas.inUse()).toContain("127.0.0.1");
});

test("a POST with an idempotency key goes on to the next replica when one refuses the connection; one without is a 503", async () => {
  const { port, replicas } = startReplicas(["127.0.0.2"]);
  // 127.0.0.5 listens on nothing: it refuses, and it is the first address picked.
  const resolve = async () => ["127.0.0.5", "127.0.0.2"];
  const keyed = createServiceClient({ name: "worker", baseUrl: `http://worker.test:${port}`, resolve });
  expect((await keyed.post("/mails", { n: 1 }, { caseId: "c", idempotencyKey: "k-1" })).status).toBe(200);
  expect(replicas[0]!.calls).toBe(1);
  const unkeyed = createServiceClient({ name: "worker", baseUrl: `http://worker.test:${port}`, resolve });
  const refused = await unkeyed.post("/mails", { n: 2 }, { caseId: "c" }).catch((error: ProblemError) => error);
  expect((refused as ProblemError).status).toBe(503);
  expect(replicas[0]!.calls).toBe(1);
});
