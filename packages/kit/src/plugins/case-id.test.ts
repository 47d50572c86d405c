import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { caseId, caseIdOf } from "./case-id.ts";

const app = new Elysia().use(caseId()).get("/seen", ({ set }) => ({ seen: caseIdOf(set) }));
const call = async (caseIdHeader?: string) => {
  const response = await app.handle(
    new Request("http://localhost/seen", { headers: caseIdHeader === undefined ? {} : { "case-id": caseIdHeader } }),
  );
  return { header: response.headers.get("case-id"), seen: ((await response.json()) as { seen: string }).seen };
};

describe("caseId", () => {
  test("keeps a well-formed Case-ID, echoes it and hands it to the handler", async () => {
    expect(await call("abc.DEF_1:2-3")).toEqual({ header: "abc.DEF_1:2-3", seen: "abc.DEF_1:2-3" });
    const longest = "x".repeat(128);
    expect((await call(longest)).header).toBe(longest);
  });

  test.each([
    ["missing", undefined],
    ["empty", ""],
    ["too long", "x".repeat(129)],
    ["with a space", "a b"],
    ["with a slash", "a/b"],
  ])("makes a new one when the header is %s", async (_, header) => {
    const { header: echoed, seen } = await call(header);
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toBe(echoed!);
  });
});
