import { describe, expect, test } from "bun:test";
import { decodeTaskMessage } from "./consumer.ts";

describe("decodeTaskMessage", () => {
  test("reads a task message", () => {
    const taskId = crypto.randomUUID();
    expect(decodeTaskMessage(Buffer.from(JSON.stringify({ task_id: taskId })))).toEqual({ message: { task_id: taskId } });
  });

  test("calls a body that is not JSON poison", () => {
    expect(decodeTaskMessage(Buffer.from("{task_id:"))).toEqual({ poison: "the body is not JSON" });
  });

  test("calls JSON of another shape poison, naming what is wrong", () => {
    const decoded = decodeTaskMessage(Buffer.from(JSON.stringify({ task_id: "not-a-uuid" })));
    expect("poison" in decoded && decoded.poison).toContain("/task_id");
    expect(decodeTaskMessage(Buffer.from("[1,2]"))).toHaveProperty("poison");
    expect(decodeTaskMessage(Buffer.from("null"))).toHaveProperty("poison");
  });
});
