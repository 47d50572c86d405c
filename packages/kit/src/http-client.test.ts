import { afterAll, expect, test } from "bun:test";
import { createServiceClient } from "./http-client.ts";
import type { ProblemError } from "./errors.ts";
import { closedPortUrl } from "@w2meet/testing";

const seen: (string | null)[] = [];
const posted: { method: string; type: string | null; key: string | null; authorization: string | null; body: string }[] = [];
const downstream = Bun.serve({
  port: 0,
  fetch: async (request) => {
    seen.push(request.headers.get("case-id"));
    const path = new URL(request.url).pathname;
    if (path === "/slow") await Bun.sleep(500);
    // Headers at once, then half a body and nothing more.
    if (path === "/stalled")
      return new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"ok":')) }), {
        headers: { "content-type": "application/json" },
      });
    if (request.method === "POST") {
      const { headers } = request;
      const body = await request.text();
      posted.push({
        method: request.method,
        type: headers.get("content-type"),
        key: headers.get("idempotency-key"),
        authorization: headers.get("authorization"),
        body,
      });
      if (path === "/broken") return new Response("oops", { status: 500 });
      if (path === "/empty") return new Response(null, { status: 202 });
      if (path === "/refused") return Response.json({ detail: "no" }, { status: 403 });
      return Response.json({ accepted: JSON.parse(body) }, { status: 202 });
    }
    if (path === "/broken") return new Response("oops", { status: 500 });
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

test("times the whole call, reading the answer included: a body that stalls is a 503 too", async () => {
  const started = performance.now();
  const stalled = await failure(client.get("/stalled", "c"));
  expect(stalled.status).toBe(503);
  expect(stalled.message).toBe("The users service did not answer within 200 ms");
  expect(performance.now() - started).toBeLessThan(1000);
  // The client still serves calls afterwards.
  expect((await client.get("/ok", "c")).body).toEqual({ ok: true });
});

test("posts a JSON body with its headers, the idempotency key and the case id, and returns the answer", async () => {
  const answer = await client.post(
    "/mails",
    { to: "a@x.io" },
    { caseId: "case-9", headers: { authorization: "Bearer t" }, idempotencyKey: "k-1" },
  );
  expect(answer).toEqual({ status: 202, body: { accepted: { to: "a@x.io" } } });
  expect(posted.at(-1)).toEqual({
    method: "POST",
    type: "application/json",
    key: "k-1",
    authorization: "Bearer t",
    body: '{"to":"a@x.io"}',
  });
  expect(seen.at(-1)).toBe("case-9");
});

test("returns a POST's 4xx and its empty answers for the caller to interpret, and turns a 5xx into a 502 problem", async () => {
  expect(await client.post("/refused", {}, { caseId: "c" })).toEqual({ status: 403, body: { detail: "no" } });
  expect(await client.post("/empty", {}, { caseId: "c" })).toEqual({ status: 202, body: undefined });
  expect((await failure(client.post("/broken", {}, { caseId: "c" }))).status).toBe(502);
});

test("turns a POST that cannot connect or is too slow into 503 problems", async () => {
  const down = createServiceClient({ name: "worker", baseUrl: closedPortUrl("http") });
  const refused = await failure(down.post("/mails", {}, { caseId: "c", idempotencyKey: "k" }));
  expect(refused.status).toBe(503);
  expect(refused.message).toBe("The worker service is unreachable");
  expect((await failure(down.post("/mails", {}, { caseId: "c" }))).status).toBe(503);
  expect((await failure(client.post("/slow", {}, { caseId: "c" }))).status).toBe(503);
});
