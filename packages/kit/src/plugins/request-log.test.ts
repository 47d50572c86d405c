import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { notFound } from "../errors.ts";
import { createLogger } from "../logger.ts";
import { capturedLogger, waitFor } from "@w2meet/testing";
import { caseId } from "./case-id.ts";
import { problemDetails } from "./problem-details.ts";
import { requestLog } from "./request-log.ts";

describe("requestLog", () => {
  const { logger, lines } = capturedLogger();
  const app = new Elysia()
    .use(requestLog({ logger }))
    .use(caseId())
    .use(problemDetails({ logger }))
    .get("/things/:id", ({ params }) => {
      if (params.id === "missing") throw notFound("No such thing");
      return { id: params.id };
    });
  // The line is written once the response has been handed back.
  const lineOf = (caseIdHeader: string) => waitFor(() => lines.find((entry) => entry.case_id === caseIdHeader));

  test("logs one JSON line per request with the case id, route, status and duration", async () => {
    await app.handle(new Request("http://localhost/things/1", { headers: { "case-id": "line-1" } }));
    expect(await lineOf("line-1")).toEqual({
      time: expect.any(String),
      level: "info",
      service: "test",
      msg: "request",
      case_id: "line-1",
      method: "GET",
      route: "/things/:id",
      status: 200,
      duration_ms: expect.any(Number),
    });
  });

  test("adds the problem's code to the line of an error answer", async () => {
    await app.handle(new Request("http://localhost/things/missing", { headers: { "case-id": "line-2" } }));
    expect(await lineOf("line-2")).toMatchObject({ status: 404, error_code: "not_found" });
    expect(lines.filter((entry) => entry.case_id === "line-2")).toHaveLength(1);
  });
});

describe("requestLog above info", () => {
  test("writes no request line at LOG_LEVEL=warn, and the service's own warnings still", async () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "quiet", level: "warn", sink: (line) => lines.push(line) });
    expect(logger.enabled("info")).toBe(false);
    expect(logger.enabled("warn")).toBe(true);
    const app = new Elysia().use(requestLog({ logger })).get("/warned", () => {
      logger.warn("something to see");
      return "ok";
    });
    expect((await app.handle(new Request("http://localhost/warned"))).status).toBe(200);
    await waitFor(() => lines.length > 0);
    await Bun.sleep(20);
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["something to see"]);
  });
});
