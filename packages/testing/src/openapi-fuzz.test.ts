import { Type } from "@sinclair/typebox";
import { expect, test } from "bun:test";
import { createLogger, createService } from "@w2meet/kit";
import { fuzzFromOpenApi } from "./openapi-fuzz.ts";

const quiet = createLogger({ service: "test", level: "error", sink: () => {} });
const Thing = Type.Object({ name: Type.String({ maxLength: 20 }), count: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })) });

test("finds the answers that break the baseline: a 5xx, and a 4xx that is not a problem with the case id", async () => {
  const app = createService({ name: "test", description: "t", logger: quiet })
    .post(
      "/things",
      ({ body }) => {
        if (body.name.includes("\u0000")) throw new Error("the database refuses NUL");
        return body;
      },
      { body: Thing },
    )
    .get("/things/:id", ({ params }) => (params.id.length > 3 ? new Response("too long", { status: 400 }) : { id: params.id }), {
      params: Type.Object({ id: Type.String() }),
    });
  const { failures, requests, operations } = await fuzzFromOpenApi(app, { runs: 300, seed: 7 });
  expect(requests).toBe(300);
  expect(operations).toBe(3); // the two routes and /health/live
  expect(failures.some((failure) => failure.status === 500 && failure.request.startsWith("POST /things"))).toBe(true);
  expect(failures.some((failure) => failure.reason === "a 4xx that is not application/problem+json")).toBe(true);
});

test("finds nothing to report in a service that keeps the baseline", async () => {
  const app = createService({ name: "test", description: "t", logger: quiet }).post("/things", ({ body }) => body, { body: Thing });
  expect((await fuzzFromOpenApi(app, { runs: 300 })).failures).toEqual([]);
});
