import { afterAll, beforeAll, expect, test } from "bun:test";
import { fuzzFromOpenApi, person, startFakeAvailability, type FakeAvailability } from "@w2meet/testing";
import { suggestionsAppOver } from "../test/app.ts";

let availability: FakeAvailability;
let app: ReturnType<typeof suggestionsAppOver>;
beforeAll(() => {
  availability = startFakeAvailability([
    person("ada@example.com", { monday: [9, 10] }),
    person("grace@example.com", { monday: [10] }, "last"),
  ]);
  app = suggestionsAppOver(availability.url);
});
afterAll(() => availability.stop());

test("answers requests fuzzed from its OpenAPI document with no 5xx, and every 4xx a problem with its case id", async () => {
  const { seed, failures } = await fuzzFromOpenApi(app, { runs: 500 });
  expect({ seed, failures }).toEqual({ seed, failures: [] });
});
