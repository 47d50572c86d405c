import { describe, expect, test } from "bun:test";
import { decodePersonChanged, decodeTaskMessage, decodeVerificationMessage } from "./consumer.ts";

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

describe("decodeVerificationMessage", () => {
  test("reads a verification mail message", () => {
    const mailId = crypto.randomUUID();
    expect(decodeVerificationMessage(Buffer.from(JSON.stringify({ mail_id: mailId })))).toEqual({ message: { mail_id: mailId } });
  });

  test("calls a task message, or any other shape, poison, naming what is wrong", () => {
    const decoded = decodeVerificationMessage(Buffer.from(JSON.stringify({ task_id: crypto.randomUUID() })));
    expect("poison" in decoded && decoded.poison).toContain("not a verification mail message");
    expect(decodeVerificationMessage(Buffer.from("{"))).toEqual({ poison: "the body is not JSON" });
    expect(decodeTaskMessage(Buffer.from(JSON.stringify({ mail_id: crypto.randomUUID() })))).toHaveProperty("poison");
  });
});

describe("decodePersonChanged", () => {
  const event = { email: "ada@example.com", version: "42", changed_at: "2026-11-21T20:00:00.123Z" };

  test("reads a person.changed event", () => {
    expect(decodePersonChanged(Buffer.from(JSON.stringify(event)))).toEqual({ message: event });
  });

  test("calls an event with a malformed email, version or time poison, naming what is wrong", () => {
    for (const [field, value] of [
      ["email", "ada"],
      ["version", "-1"],
      ["changed_at", "yesterday"],
    ] as const) {
      const decoded = decodePersonChanged(Buffer.from(JSON.stringify({ ...event, [field]: value })));
      expect("poison" in decoded && decoded.poison).toContain(`/${field}`);
    }
    expect(decodePersonChanged(Buffer.from(JSON.stringify({ task_id: crypto.randomUUID() })))).toHaveProperty("poison");
  });
});
