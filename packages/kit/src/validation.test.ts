import { expect, test } from "bun:test";
import { fieldErrors, fieldPath } from "./validation.ts";

test("writes JSON pointers as dotted paths with indexes", () => {
  expect(fieldPath("/availabilities/monday/2")).toBe("availabilities.monday[2]");
  expect(fieldPath("/email")).toBe("email");
  expect(fieldPath("")).toBe("(root)");
});

test("keeps one error per field and says what a number field takes", () => {
  const errors = fieldErrors([
    { path: "/hour", message: "Expected integer", schema: { type: "integer", minimum: 0, maximum: 23 } },
    { path: "/hour", message: "second", schema: {} },
    { path: "/preference", message: "Expected union value", schema: { anyOf: [{ const: "first" }, { const: "last" }] } },
  ]);
  expect(errors).toEqual([
    { path: "hour", message: "Expected an integer from 0 to 23" },
    { path: "preference", message: "Expected one of: first, last" },
  ]);
});

test("names the query parameter of an error reported without a path", () => {
  const errors = fieldErrors(
    [{ path: "", message: "Expected number to be greater or equal to 1", value: 0, schema: { type: "number", multipleOf: 1, minimum: 1 } }],
    new URLSearchParams("limit=0&cursor=abc"),
  );
  expect(errors).toEqual([{ path: "limit", message: "Expected an integer of at least 1" }]);
});
