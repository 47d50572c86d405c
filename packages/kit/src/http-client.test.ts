import { afterAll, expect, test } from "bun:test";
import { createServiceClient } from "./http-client.ts";
import type { ProblemError } from "./errors.ts";
import { closedPortUrl } from "@w2meet/testing";

const seen: (string | null)[] = [];
const downstream = Bun.serve({
  port: 0,
  fetch: async (request) => {
    seen.push(request.headers.get("case-id"));
    const path = new URL(request.url).pathname;
    if (path === "/broken") return new Response("oops", { status: 500 });
    if (path === "/slow") await Bun.sleep(500);
    if (path === "/missing") return Response.json({ missing: ["a@x.io"] }, { status: 404 });
    return Response.json({ ok: true });
  },
});
afterAll(() => downstream.stop(true));
const client = createServiceClient({ name: "users", baseUrl: `http://127.0.0.1:${downstream.port}/`, timeoutMs: 200 });

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as ProblemError;
  }
  throw new Error("expected a failure");
};

test("passes the case id on and returns the answer", async () => {
  expect(await client.get("/ok", "case-7")).toEqual({ status: 200, body: { ok: true } });
  expect(seen.at(-1)).toBe("case-7");
});

test("returns a 4xx answer for the caller to interpret", async () => {
  expect(await client.get("/missing", "c")).toEqual({ status: 404, body: { missing: ["a@x.io"] } });
});

test("turns a 5xx answer into a 502 problem", async () => {
  expect((await failure(client.get("/broken", "c"))).status).toBe(502);
});

test("turns a refused connection and a timeout into 503 problems", async () => {
  const down = createServiceClient({ name: "users", baseUrl: closedPortUrl("http") });
  const refused = await failure(down.get("/ok", "c"));
  expect(refused.status).toBe(503);
  expect(refused.message).toBe("The users service is unreachable");
  const slow = await failure(client.get("/slow", "c"));
  expect(slow.status).toBe(503);
  expect(slow.message).toContain("200 ms");
});
