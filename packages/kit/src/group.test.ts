import { expect, test } from "bun:test";
import type { ProblemError } from "./errors.ts";
import { groupFromQuery, normalizeGroup } from "./group.ts";

const problemOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ProblemError;
  }
  throw new Error("expected a problem");
};

test("lower-cases, trims and de-duplicates emails in the order first named", () => {
  expect(groupFromQuery({ users: " B@x.io,a@x.io,b@X.io ,,c@x.io" })).toEqual(["b@x.io", "a@x.io", "c@x.io"]);
});

test("accepts the seed system's userId1 and userId2", () => {
  expect(groupFromQuery({ userId1: "a@x.io", userId2: "B@x.io" })).toEqual(["a@x.io", "b@x.io"]);
});

test("rejects fewer than 2 or more than 100 distinct people, naming the field", () => {
  const few = problemOf(() => normalizeGroup(["a@x.io", "A@x.io"], "users"));
  expect(few.status).toBe(400);
  expect(few.extras.errors).toEqual([{ path: "users", message: "Name 2 to 100 distinct emails; got 1" }]);
  const many = Array.from({ length: 101 }, (_, i) => `p${i}@x.io`);
  expect(problemOf(() => normalizeGroup(many, "users")).extras.errors?.[0]?.path).toBe("users");
  expect(normalizeGroup(many.slice(0, 100), "users")).toHaveLength(100);
});

test("names every entry that is not an email", () => {
  const problem = problemOf(() => groupFromQuery({ users: "a@x.io,nope,also bad" }));
  expect(problem.extras.errors).toHaveLength(2);
});

test("asks for the group when none is named, and for the other userId when one is missing", () => {
  expect(problemOf(() => groupFromQuery({})).extras.errors?.[0]?.path).toBe("users");
  expect(problemOf(() => groupFromQuery({ userId1: "a@x.io" })).extras.errors?.[0]?.path).toBe("userId2");
});
