import { expect, test } from "bun:test";
import { loadAvailabilityConfig } from "./config.ts";

test("defaults every setting to the local servers", () => {
  expect(loadAvailabilityConfig({})).toMatchObject({ PORT: 3002, USERS_URL: "http://127.0.0.1:3001", USERS_TIMEOUT_MS: 2000 });
});

test.each([
  ["USERS_URL", "users.local:3001"],
  ["USERS_TIMEOUT_MS", "soon"],
  ["PORT", "70000"],
])("refuses a malformed %s, naming it", (variable, value) => {
  expect(() => loadAvailabilityConfig({ [variable]: value })).toThrow(variable);
});
