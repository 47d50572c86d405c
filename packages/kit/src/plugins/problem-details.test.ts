import { Type } from "@sinclair/typebox";
import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { conflict, ProblemError } from "../errors.ts";
import { createLogger } from "../logger.ts";
import { caseId } from "./case-id.ts";
import { problemDetails } from "./problem-details.ts";

const lines: Record<string, any>[] = [];
const logger = createLogger({ service: "test", sink: (line) => lines.push(JSON.parse(line)) });
const app = new Elysia()
  .use(caseId())
  .use(
    problemDetails({
      logger,
      mapError: (error) =>
        (error as { code?: string }).code === "DOWN" ? new ProblemError("unavailable", "The store is down") : undefined,
    }),
  )
  .get("/taken", () => {
    throw conflict("Already there");
  })
  .get("/broken", () => {
    throw new Error("secret internal detail at 10.0.0.7");
  })
  .get("/down", () => {
    throw Object.assign(new Error("ECONNREFUSED 10.0.0.7:5432"), { code: "DOWN" });
  })
  .get("/limited", ({ query }) => query, { query: Type.Object({ limit: Type.Number({ maximum: 10 }) }) });

const call = async (path: string) => {
  const response = await app.handle(new Request(`http://localhost${path}`, { headers: { "case-id": "case-1" } }));
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, any> };
};

describe("problemDetails", () => {
  test("renders the kit's errors as problem+json with the case id", async () => {
    expect(await call("/taken")).toEqual({
      status: 409,
      type: "application/problem+json",
      body: { type: "urn:w2meet:problem:conflict", title: "Conflict", status: 409, detail: "Already there", case_id: "case-1" },
    });
  });

  test("names every invalid field in a 400", async () => {
    const { status, body } = await call("/limited?limit=11");
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ path: "limit", message: expect.stringContaining("at most 10") }]);
  });

  test("answers an unknown route with a 404 problem", async () => {
    expect(await call("/nowhere")).toMatchObject({ status: 404, type: "application/problem+json", body: { case_id: "case-1" } });
  });

  test("maps a dependency's error through mapError", async () => {
    expect(await call("/down")).toMatchObject({ status: 503, body: { detail: "The store is down" } });
  });

  test("answers an unexpected error with a 500 that shows nothing of it, and logs it with its stack", async () => {
    const { status, body } = await call("/broken");
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("10.0.0.7");
    expect(lines.find((line) => line.msg === "unexpected error")).toMatchObject({
      case_id: "case-1",
      error: "secret internal detail at 10.0.0.7",
      stack: expect.any(String),
    });
  });
});
