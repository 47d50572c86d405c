import { afterAll, beforeAll, expect, test } from "bun:test";
import { fuzzFromOpenApi, startFakeService, waitFor } from "@w2meet/testing";
import { usersApp, usersDatabase, uniquePrefix } from "../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let users: ReturnType<typeof usersApp>;
// The worker takes every verification mail, so a fuzzed request for a code never meets a worker that is down.
const worker = startFakeService({ path: "/verification-mails", answer: () => Response.json({ status: "accepted" }, { status: 202 }) });
beforeAll(async () => {
  db = await usersDatabase();
  users = usersApp({ sql: db.sql, prefix: uniquePrefix(), env: { WORKER_URL: worker.url } });
  await waitFor(() => users.redis.connected, { what: "redis" });
});
afterAll(async () => {
  users.redis.close();
  await worker.stop();
  await db.close();
});

// Registrations with a password and logins each cost an Argon2id hash (about 0.2 s on two cores).
test("answers requests fuzzed from its OpenAPI document with no 5xx, and every 4xx a problem with its case id", async () => {
  const { seed, failures } = await fuzzFromOpenApi(users.app, { runs: 500 });
  expect({ seed, failures }).toEqual({ seed, failures: [] });
}, 120_000);
