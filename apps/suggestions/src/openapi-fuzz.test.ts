import { afterAll, beforeAll, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { fuzzFromOpenApi, person, startFakeAvailability, type FakeAvailability } from "@w2meet/testing";
import { buildSuggestionsApp } from "./app.ts";
import { createSuggestionsClients } from "./clients.ts";
import { loadSuggestionsConfig } from "./config.ts";

const quiet = createLogger({ service: "suggestions", level: "error", sink: () => {} });
let availability: FakeAvailability;
let app: ReturnType<typeof buildSuggestionsApp>;
beforeAll(() => {
  availability = startFakeAvailability([
    person("ada@example.com", { monday: [9, 10] }),
    person("grace@example.com", { monday: [10] }, "last"),
  ]);
  const config = loadSuggestionsConfig({ AVAILABILITY_URL: availability.url });
  app = buildSuggestionsApp(config, createSuggestionsClients(config, quiet));
});
afterAll(() => availability.stop());

test("answers requests fuzzed from its OpenAPI document with no 5xx, and every 4xx a problem with its case id", async () => {
  const { seed, failures } = await fuzzFromOpenApi(app, { runs: 500 });
  expect({ seed, failures }).toEqual({ seed, failures: [] });
});
