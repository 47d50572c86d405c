import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { capturedLogger, waitFor } from "@w2meet/testing";
import { jsonResponse } from "../errors.ts";
import { caseId, caseIdOf } from "./case-id.ts";
import { corsPolicy } from "./cors.ts";
import { requestLog } from "./request-log.ts";

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

describe("a ready JSON answer (jsonResponse)", () => {
  const { logger, lines } = capturedLogger("ready");
  const ready = new Elysia()
    .use(requestLog({ logger }))
    .use(caseId())
    .use(corsPolicy({ origins: ["https://app.example.com"] }))
    .get("/cached", ({ set }) => jsonResponse('{"from":"cache"}', set, { "x-cache": "HIT" }))
    // A hook after the handler may still add a header: it is sent too.
    .onAfterHandle(({ set }) => {
      set.headers["x-late"] = "yes";
    })
    .get("/late", ({ set }) => jsonResponse("[1,2]", set));

  test("carries the case id, the hooks' headers and its own, and the case id still reaches the log", async () => {
    const response = await ready.handle(
      new Request("http://localhost/cached", { headers: { "case-id": "ready-1", origin: "https://app.example.com" } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("case-id")).toBe("ready-1");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-cache")).toBe("HIT");
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(await response.json()).toEqual({ from: "cache" });
    expect(await waitFor(() => lines.find((line) => line.case_id === "ready-1"))).toMatchObject({ route: "/cached", status: 200 });
  });

  test("keeps a header a later hook adds", async () => {
    const response = await ready.handle(new Request("http://localhost/late", { headers: { "case-id": "ready-2" } }));
    expect(response.headers.get("case-id")).toBe("ready-2");
    expect(response.headers.get("x-late")).toBe("yes");
    expect(await response.json()).toEqual([1, 2]);
  });
});
