import { Type } from "@sinclair/typebox";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect } from "node:net";
import { BODY_LIMIT_BYTES } from "./body.ts";
import { BUN_BODY_LIMIT_BYTES, listenOptions } from "./lifecycle.ts";
import { createLogger } from "./logger.ts";
import { createService } from "./service.ts";
import { freePort } from "@w2meet/testing";

// The service served as the entry points serve it (Bun's HTTP layer included), not through app.handle.
const quiet = createLogger({ service: "test", level: "error", sink: () => {} });
const app = createService({ name: "test", description: "t", logger: quiet })
  .post("/things", ({ body }) => body, { body: Type.Object({ name: Type.String({ maxLength: 200 }) }) })
  .get("/things", ({ query }) => query, { query: Type.Object({ limit: Type.Optional(Type.Number()) }) });
let base = "";
let port = 0;
beforeAll(() => {
  port = freePort();
  app.listen({ ...listenOptions(port), hostname: "127.0.0.1" });
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => app.stop(true));

/** Writes `head` (and `body`) on a fresh connection and returns everything read until the server closes it. */
function exchange(head: string, body = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (data) => (answer += data.toString()));
    socket.on("end", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.on("error", (error) => (answer ? resolve(answer) : reject(error)));
    socket.write(head + body);
  });
}

async function expectKitProblem(response: Response, status: number, caseId: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("case-id")).toBe(caseId);
  expect(((await response.json()) as { case_id: string }).case_id).toBe(caseId);
}

test("answers the kit's 413 problem for a body over the limit that declares its length", async () => {
  const response = await fetch(`${base}/things`, {
    method: "POST",
    headers: { "content-type": "application/json", "case-id": "declared-1" },
    body: JSON.stringify({ name: "x".repeat(BODY_LIMIT_BYTES) }),
  });
  await expectKitProblem(response, 413, "declared-1");
});

test("answers the kit's 413 problem for a body over the limit sent in chunks, without a length", async () => {
  const piece = new TextEncoder().encode("x".repeat(16 * 1024));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(piece);
    },
  });
  const response = await fetch(`${base}/things`, {
    method: "POST",
    headers: { "content-type": "application/json", "case-id": "chunked-1" },
    body,
  });
  await expectKitProblem(response, 413, "chunked-1");
});

test("keeps /health/live answering while hostile bodies are in flight, and answers each with a 400 problem", async () => {
  const deep = `{"name":${"[".repeat(32_000)}${"]".repeat(32_000)}}`;
  const hostile = Array.from({ length: 4 }, (_, i) =>
    fetch(`${base}/things`, { method: "POST", headers: { "content-type": "application/json", "case-id": `deep-${i}` }, body: deep }),
  );
  const live = await fetch(`${base}/health/live`);
  expect(live.status).toBe(200);
  for (const [i, response] of (await Promise.all(hostile)).entries()) await expectKitProblem(response, 400, `deep-${i}`);
});

test("answers a query error of an HTTP/1.0 request without Host (a relative URL) with a problem", async () => {
  const answer = await exchange("GET /things?limit=x HTTP/1.0\r\nCase-ID: old-client\r\n\r\n");
  expect(answer).toStartWith("HTTP/1.1 400");
  expect(answer).toContain("application/problem+json");
  expect(answer).toContain('"case_id":"old-client"');
  expect(answer).toContain('"path":"limit"');
});

// What Bun's HTTP layer answers itself, before any JavaScript runs: a bare status line, no body and no
// Case-ID. Pinned here so that the README's account of them stays true.
test("leaves to Bun only a declared length over its backstop and a header block over 16 KiB", async () => {
  const tooLong = await exchange(
    `POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${BUN_BODY_LIMIT_BYTES + 1}\r\n\r\n`,
    "{",
  );
  expect(tooLong).toStartWith("HTTP/1.1 413");
  expect(tooLong).not.toContain("case-id");
  const bigHeaders = await exchange(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(17 * 1024)}\r\n\r\n`);
  expect(bigHeaders).toStartWith("HTTP/1.1 431");
  const justUnder = await fetch(`${base}/things`, {
    method: "POST",
    headers: { "content-type": "application/json", "case-id": "under-backstop" },
    body: "x".repeat(BUN_BODY_LIMIT_BYTES - 1),
  });
  await expectKitProblem(justUnder, 413, "under-backstop");
});
