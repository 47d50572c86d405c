// biome-ignore-all lint/suspicious/noControlCharactersInRegex: it generates and recognises hostile input on purpose
// Test support: fuzzes a service through its own OpenAPI document. Every operation the document lists
// gets requests whose path parameters, queries, headers and bodies are generated from its schemas (see
// openapi-fuzz-values.ts), sent in-process with `app.handle`; the robustness baseline is then checked
// on each answer: never a 5xx, and every 4xx a problem+json whose case_id is the Case-ID header.
import fc from "fast-check";
import { fuzzBody, hostileText, jsonText, oddPercentEncoding, urlText, type JsonSchema } from "./openapi-fuzz-values.ts";

type Parameter = { name: string; in: "path" | "query" | "header" | "cookie"; schema?: JsonSchema };
type OpenApiOperation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };
/** The part of an OpenAPI 3 document the fuzzer reads. */
type OpenApiDocument = { paths: Record<string, Record<string, OpenApiOperation>> };

type Operation = { method: string; path: string; parameters: Parameter[]; body?: JsonSchema };
type FuzzRequest = { method: string; url: string; headers: Record<string, string>; body?: string | Uint8Array };

/** One answer that broke the baseline, with what was sent (long values cut short). */
export type FuzzFailure = { request: string; status: number; contentType: string | null; reason: string };

const operationsOf = (document: OpenApiDocument, skip: readonly string[]): Operation[] =>
  Object.entries(document.paths)
    .filter(([path]) => !skip.includes(path))
    .flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.["application/json"]?.schema,
      })),
    );

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
  "application/json; charset=latin1",
  "*/*",
];
const RAW_BODIES = [
  "",
  "{",
  "[1,]",
  '{"a":}',
  "null",
  "\ufeff{}",
  " ".repeat(60_000),
  '{"__proto__":{"polluted":1}}',
  '"\\ud800"',
  "1e999",
  "[".repeat(32_000) + "]".repeat(32_000),
  `[${"{".repeat(20_000)}`,
  `{"a":"${"\\u0000".repeat(10_000)}"}`,
];
const INVALID_UTF8 = [new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), new Uint8Array([0xc0, 0xaf]), new Uint8Array([0xed, 0xa0, 0x80])];

/** A body as text or bytes: mostly the JSON of a fuzzed value, sometimes broken JSON, bad UTF-8 or a deep nesting. */
const bodyText = (schema: JsonSchema): fc.Arbitrary<string | Uint8Array | undefined> =>
  fc.oneof(
    { arbitrary: fuzzBody(schema).map(jsonText), weight: 6 },
    { arbitrary: fc.constantFrom<string | Uint8Array | undefined>(...RAW_BODIES, ...INVALID_UTF8, undefined), weight: 2 },
  );

const CASE_IDS = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.constantFrom("case-1", "a b", "x".repeat(129), "", "<script>", "é", "a/b", "\u0001"), weight: 1 },
);

function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const inPath = operation.parameters.filter((p) => p.in === "path");
  const inQuery = operation.parameters.filter((p) => p.in === "query");
  const inHeaders = operation.parameters.filter((p) => p.in === "header");
  const pathValues = fc.tuple(...inPath.map((p) => urlText(p.schema ?? {})));
  const query = fc.tuple(
    ...inQuery.map((p) =>
      fc.option(
        urlText(p.schema ?? {}).map((value) => `${p.name}=${value}`),
        { nil: undefined, freq: 3 },
      ),
    ),
    fc.option(fc.constantFrom("unknown=1", "limit=1&limit=2", "users", "=x", "&&", "%ZZ=1"), { nil: undefined, freq: 3 }),
    fc.option(
      fc.tuple(fc.constantFrom(...inQuery.map((p) => p.name), "q"), oddPercentEncoding).map(([key, odd]) => `${key}=${odd}`),
      { nil: undefined, freq: 3 },
    ),
  );
  const headers = fc.tuple(
    CASE_IDS,
    ...inHeaders.map((p) =>
      fc.option(fc.oneof(hostileText, fc.string()), { nil: undefined, freq: 2 }).map((value) => [p.name, value] as const),
    ),
  );
  const takesBody = operation.method !== "GET" && operation.method !== "HEAD";
  const body = takesBody ? bodyText(operation.body ?? {}) : fc.constant(undefined);
  const contentType = fc.oneof(
    { arbitrary: fc.constant("application/json"), weight: 6 },
    { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 },
  );
  return fc.tuple(pathValues, query, headers, body, contentType).map(([values, parameters, [caseId, ...named], payload, type]) => {
    let path = operation.path;
    for (const [i, parameter] of inPath.entries()) path = path.replace(`{${parameter.name}}`, values[i]!);
    const search = parameters.filter((part) => part !== undefined).join("&");
    const sent: Record<string, string> = {};
    if (caseId !== undefined) sent["case-id"] = caseId;
    for (const [name, value] of named) if (value !== undefined) sent[name] = value;
    if (payload !== undefined) sent["content-type"] = type;
    return { method: operation.method, url: `http://localhost${path}${search ? `?${search}` : ""}`, headers: sent, body: payload };
  });
}

// Header values must be Latin-1 without NUL, CR or LF, or fetch refuses to build the request at all.
const headerSafe = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace(/[^\x01-\x09\x0b\x0c\x0e-\xff]/g, "?")]));

const describeRequest = (request: FuzzRequest) => {
  const body = typeof request.body === "string" ? request.body : request.body ? `bytes ${[...request.body].join(",")}` : "";
  return `${request.method} ${request.url.replace("http://localhost", "").slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 200)} ${body.slice(0, 300)}`;
};

async function check(app: { handle: (request: Request) => Promise<Response> }, request: FuzzRequest): Promise<FuzzFailure | undefined> {
  const response = await app.handle(
    new Request(request.url, { method: request.method, headers: headerSafe(request.headers), body: request.body }),
  );
  const contentType = response.headers.get("content-type");
  const text = await response.text();
  const fail = (reason: string): FuzzFailure => ({ request: describeRequest(request), status: response.status, contentType, reason });
  if (response.status >= 500) return fail(`answered ${response.status}: ${text.slice(0, 300)}`);
  if (response.status < 400) return undefined;
  if (!contentType?.startsWith("application/problem+json")) return fail("a 4xx that is not application/problem+json");
  let problem: { case_id?: unknown; status?: unknown };
  try {
    problem = JSON.parse(text);
  } catch {
    return fail("a problem body that is not JSON");
  }
  if (problem.case_id !== response.headers.get("case-id"))
    return fail(`case_id ${String(problem.case_id)} is not the Case-ID header ${response.headers.get("case-id")}`);
  if (problem.status !== response.status) return fail(`problem status ${String(problem.status)} is not the HTTP status`);
  return undefined;
}

/**
 * Sends `runs` requests generated from the app's own OpenAPI document (GET /docs/json), spread over its
 * operations, and returns every answer that broke the baseline. Paths in `skip` are left out (e.g.
 * `/health`, whose 503 reports a dependency, not the request). `seed` replays a run; the one used is returned.
 */
export async function fuzzFromOpenApi(
  app: { handle: (request: Request) => Promise<Response> },
  options: { runs?: number; seed?: number; skip?: readonly string[] } = {},
): Promise<{ seed: number; requests: number; operations: number; failures: FuzzFailure[] }> {
  const document = (await (await app.handle(new Request("http://localhost/docs/json"))).json()) as OpenApiDocument;
  const operations = operationsOf(document, options.skip ?? ["/health"]);
  const seed = options.seed ?? Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  // Operations with more inputs get more of the requests: a route without parameters has little to vary.
  const weighted = operations.map((operation) => ({
    arbitrary: requestFor(operation),
    weight: 1 + operation.parameters.length + (operation.body ? 4 : 0),
  }));
  const requests = fc.sample(fc.oneof(...weighted), { numRuns: options.runs ?? 300, seed });
  const failures: FuzzFailure[] = [];
  for (const request of requests) {
    const failure = await check(app, request);
    if (failure) failures.push(failure);
  }
  return { seed, requests: requests.length, operations: operations.length, failures };
}
