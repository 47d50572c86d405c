import { afterAll, beforeAll, expect, test } from "bun:test";
import { fuzzFromOpenApi, waitFor } from "@w2meet/testing";
import { usersApp, usersDatabase, uniquePrefix } from "../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let users: ReturnType<typeof usersApp>;
beforeAll(async () => {
  db = await usersDatabase();
  users = usersApp({ sql: db.sql, prefix: uniquePrefix() });
  await waitFor(() => users.redis.connected, { what: "redis" });
});
afterAll(async () => {
  users.redis.close();
  await db.close();
});

test("answers requests fuzzed from its OpenAPI document with no 5xx, and every 4xx a problem with its case id", async () => {
  const { seed, failures } = await fuzzFromOpenApi(users.app, { runs: 500 });
  expect({ seed, failures }).toEqual({ seed, failures: [] });
});
