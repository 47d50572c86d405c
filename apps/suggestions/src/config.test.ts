import { expect, test } from "bun:test";
import { loadSuggestionsConfig } from "./config.ts";

test("defaults every setting to the local servers", () => {
  expect(loadSuggestionsConfig({})).toMatchObject({ PORT: 3003, AVAILABILITY_URL: "http://127.0.0.1:3002", AVAILABILITY_TIMEOUT_MS: 2500 });
});

test.each([
  ["AVAILABILITY_URL", "ftp://availability"],
  ["AVAILABILITY_TIMEOUT_MS", "0"],
  ["LOG_LEVEL", "loud"],
])("refuses a malformed %s, naming it", (variable, value) => {
  expect(() => loadSuggestionsConfig({ [variable]: value })).toThrow(variable);
});
