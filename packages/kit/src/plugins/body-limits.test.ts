import { Kind, Type, type TSchema } from "@sinclair/typebox";
import * as contracts from "@w2meet/contracts";
import { describe, expect, test } from "bun:test";
import { BODY_SHAPE_LIMITS } from "../body.ts";
import { createLogger } from "../logger.ts";
import { createService } from "../service.ts";
import { jsonRequest } from "@w2meet/testing";

const quiet = createLogger({ service: "test", level: "error", sink: () => {} });
const Thing = Type.Object(
  { name: Type.String({ maxLength: 200 }), tags: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })) },
  { additionalProperties: false },
);
const received: unknown[] = [];
const app = createService({ name: "test", description: "t", logger: quiet })
  .post("/things", ({ body }) => body, { body: Thing })
  .put("/things/:id", ({ body }) => body, { body: Thing })
  .delete("/things/:id", () => new Response(null, { status: 204 }))
  .post("/echo", ({ body }) => {
    received.push(body);
    return { ok: true };
  });

type Answer = { status: number; type: string | null; caseId: string | null; body: any };
async function send(request: Request): Promise<Answer> {
  const response = await app.handle(request);
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    caseId: response.headers.get("case-id"),
    body: text ? JSON.parse(text) : undefined,
  };
}
const raw = (
  body: string | Uint8Array,
  headers: Record<string, string> = { "content-type": "application/json" },
  path = "/things",
  method = "POST",
) => send(new Request(`http://localhost${path}`, { method, headers, body }));
const paths = (answer: Answer) => (answer.body.errors ?? []).map((error: { path: string }) => error.path);
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

function expectProblem(answer: Answer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.type).toBe("application/problem+json");
  expect(answer.body.case_id).toBe(answer.caseId!);
}

describe("JSON bodies", () => {
  test("passes a valid body to the route unchanged", async () => {
    const body = { name: "Ada", tags: ["a", "b"] };
    for (const [path, method] of [
      ["/things", "POST"],
      ["/things/1", "PUT"],
    ]) {
      const answer = await send(jsonRequest(method!, path!, body));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(body);
    }
  });

  test("answers 400 naming the field for a value nested 32,000 deep, in a field or as the whole body", async () => {
    const inField = await raw(`{"name":${nested(32_000)}}`);
    expectProblem(inField, 400);
    expect(paths(inField)).toEqual([`name${"[0]".repeat(BODY_SHAPE_LIMITS.depth - 1)}`]);
    expect(inField.body.errors[0].message).toBe(`Nested deeper than ${BODY_SHAPE_LIMITS.depth} levels`);
    const whole = await raw(nested(32_000), undefined, "/things/1", "PUT");
    expectProblem(whole, 400);
    expect(paths(whole)[0]).toStartWith("[0]");
  });

  test("counts only the brackets outside strings, escaped quotes included", async () => {
    const name = `${"[".repeat(40)}\\"${"{".repeat(40)}`;
    const answer = await raw(`{"name":${JSON.stringify(name)}}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ name });
  });

  test("answers 400 naming the field for a list of 10,000 elements", async () => {
    const answer = await raw(JSON.stringify({ name: "Ada", tags: Array(10_000).fill("t") }));
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual([{ path: "tags", message: `Has 10000 items; at most ${BODY_SHAPE_LIMITS.items} are accepted` }]);
  });

  test("answers 400 for an object of more fields than any schema has", async () => {
    const answer = await raw(JSON.stringify(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]))));
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual([{ path: "(root)", message: `Has 101 fields; at most ${BODY_SHAPE_LIMITS.fields} are accepted` }]);
  });

  test("answers 400 naming a field that shadows a member every object has, which breaks turning the value into text", async () => {
    const answer = await raw(JSON.stringify({ name: [{ toString: "x", valueOf: 1 }], tags: [] }));
    expectProblem(answer, 400);
    expect(paths(answer)).toEqual(["name[0].toString", "name[0].valueOf"]);
  });

  test("answers 400 naming the field for a 60 KB string, and for a 60 KB field name without echoing it", async () => {
    const long = "x".repeat(60_000);
    const value = await raw(JSON.stringify({ name: long }));
    expectProblem(value, 400);
    expect(paths(value)).toEqual(["name"]);
    const key = await raw(JSON.stringify({ name: "Ada", [long]: 1 }));
    expectProblem(key, 400);
    expect(paths(key)).toEqual([`${"x".repeat(40)}…`]);
  });

  test("answers 400 for text that is not Unicode: bytes that are not UTF-8, and an unpaired surrogate", async () => {
    const bytes = await raw(new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expectProblem(bytes, 400);
    expect(bytes.body.errors).toEqual([{ path: "(body)", message: "The body is not valid UTF-8" }]);
    const surrogate = await raw('{"name":"Ada \\ud800"}');
    expectProblem(surrogate, 400);
    expect(paths(surrogate)).toEqual(["name"]);
  });

  test("answers 400 naming the body for text that is not JSON, and the root for an empty body", async () => {
    const broken = await raw("{nope");
    expectProblem(broken, 400);
    expect(paths(broken)).toEqual(["(body)"]);
    const empty = await raw("");
    expectProblem(empty, 400);
    expect(paths(empty)).toEqual(["(root)"]);
  });

  test("answers 415 for a body that is not JSON by its content type, and takes JSON without one", async () => {
    expectProblem(await raw("name=Ada", { "content-type": "application/x-www-form-urlencoded" }), 415);
    expectProblem(await raw('{"name":"Ada"}', { "content-type": "text/plain" }), 415);
    const untyped = await send(new Request("http://localhost/things", { method: "POST", body: new Blob(['{"name":"Ada"}']) }));
    expect(untyped.status).toBe(200);
  });

  test("answers the kit's 413 for a streamed body over the limit, which has no length to check first", async () => {
    const chunk = new TextEncoder().encode(`"${"x".repeat(16 * 1024)}",`);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("["));
        for (let i = 0; i < 8; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const answer = await send(
      new Request("http://localhost/things", {
        method: "POST",
        headers: { "content-type": "application/json", "case-id": "big-1" },
        body: stream,
      }),
    );
    expectProblem(answer, 413);
    expect(answer.caseId).toBe("big-1");
  });

  test("ignores the body of a method that takes none", async () => {
    const answer = await raw(nested(32_000), undefined, "/things/1", "DELETE");
    expect(answer.status).toBe(204);
  });

  test("hands a route without a body schema the checked value too", async () => {
    expect((await raw('{"a":[1,{"b":null}]}', undefined, "/echo")).status).toBe(200);
    expect(received.at(-1)).toEqual({ a: [1, { b: null }] });
    expectProblem(await raw(nested(100), undefined, "/echo"), 400);
  });
});

// The limits must never refuse what a schema accepts: every contract stays well inside them.
test("keeps every contract schema inside the body shape limits", () => {
  const schemas = Object.entries(contracts).filter(([, value]) => typeof value === "object" && value !== null && Kind in value);
  expect(schemas.length).toBeGreaterThan(10);
  const depthOf = (schema: TSchema): number => {
    expect(schema.maxLength ?? 0).toBeLessThanOrEqual(BODY_SHAPE_LIMITS.stringLength);
    expect(schema.maxItems ?? 0).toBeLessThanOrEqual(BODY_SHAPE_LIMITS.items);
    const children: TSchema[] = [
      ...Object.values((schema.properties ?? {}) as Record<string, TSchema>),
      ...(schema.items ? [schema.items as TSchema] : []),
      ...((schema.anyOf ?? []) as TSchema[]),
    ];
    expect(Object.keys(schema.properties ?? {}).length).toBeLessThanOrEqual(BODY_SHAPE_LIMITS.fields);
    const nests = schema.type === "object" || schema.type === "array" ? 1 : 0;
    return nests + Math.max(0, ...children.map(depthOf));
  };
  for (const [, schema] of schemas) expect(depthOf(schema as TSchema)).toBeLessThanOrEqual(BODY_SHAPE_LIMITS.depth);
});
