import { afterAll, beforeAll, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { fuzzFromOpenApi, person, startFakeUsers, type FakeUsers } from "@w2meet/testing";
import { buildAvailabilityApp } from "./app.ts";
import { createAvailabilityClients } from "./clients.ts";
import { loadAvailabilityConfig } from "./config.ts";

const quiet = createLogger({ service: "availability", level: "error", sink: () => {} });
let users: FakeUsers;
let app: ReturnType<typeof buildAvailabilityApp>;
beforeAll(() => {
  users = startFakeUsers([person("ada@example.com", { monday: [9, 10] }), person("grace@example.com", { monday: [10] }, "last")]);
  const config = loadAvailabilityConfig({ USERS_URL: users.url });
  app = buildAvailabilityApp(config, createAvailabilityClients(config, quiet));
});
afterAll(() => users.stop());

test("answers requests fuzzed from its OpenAPI document with no 5xx, and every 4xx a problem with its case id", async () => {
  const { seed, failures } = await fuzzFromOpenApi(app, { runs: 500 });
  expect({ seed, failures }).toEqual({ seed, failures: [] });
});
