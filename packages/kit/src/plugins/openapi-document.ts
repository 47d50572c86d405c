import { Problem } from "@w2meet/contracts";

// Only the parts of OpenAPI 3.1 this module reads or writes; the rest passes through untouched.
type Schema = { type?: string; contentMediaType?: string; [keyword: string]: unknown };
type Content = Record<string, { schema?: Schema | { $ref: string } }>;
type Response = { description: string; content?: Content; [field: string]: unknown };
type Operation = {
  requestBody?: { content?: Content; [field: string]: unknown };
  responses?: Record<string, Response>;
  [field: string]: unknown;
};
export type OpenAPIDocument = {
  openapi: string;
  info: { title: string; description?: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; [field: string]: unknown };
  [field: string]: unknown;
};

const PROBLEM_MEDIA_TYPE = "application/problem+json";
const PROBLEM_REF = "#/components/schemas/Problem";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** A schema as plain JSON Schema: TypeBox keeps symbols on its schemas, which the generator drops. */
const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema ?? null)) as Schema;
// Elysia sets additionalProperties on a response schema, in place, when it first checks a response
// against it; so it is read at generation time and left out of the comparison.
const withoutAdditional = (schema: unknown): unknown =>
  Array.isArray(schema)
    ? schema.map(withoutAdditional)
    : schema && typeof schema === "object"
      ? Object.fromEntries(
          Object.entries(schema)
            .filter(([key]) => key !== "additionalProperties")
            .map(([key, value]) => [key, withoutAdditional(value)]),
        )
      : schema;
const isProblem = (schema: unknown) => Bun.deepEquals(withoutAdditional(plain(schema)), withoutAdditional(plain(Problem)));
const problemContent = () => ({ [PROBLEM_MEDIA_TYPE]: { schema: { $ref: PROBLEM_REF } } });

/**
 * Makes the document @elysiajs/openapi generates from the routes' schemas say what the services do:
 * - an error answer whose schema is the contract's Problem is `application/problem+json` (one shared
 *   `#/components/schemas/Problem`), as the kit's error handler sends it;
 * - a string answer whose schema names a `contentMediaType` (e.g. `text/calendar`) is served as that type;
 * - a 204 has no body;
 * - request bodies are JSON only (the generator also offers form encodings the services refuse), and
 *   every route taking a body may answer 413, as the kit refuses bodies over `bodyLimitBytes`.
 */
export function truthfulDocument(generated: OpenAPIDocument, options: { bodyLimitBytes: number }): OpenAPIDocument {
  const paths: OpenAPIDocument["paths"] = {};
  for (const [path, item] of Object.entries(generated.paths)) {
    const fixed = { ...item };
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) fixed[method] = truthfulOperation(operation, options.bodyLimitBytes);
    }
    paths[path] = fixed;
  }
  return {
    ...generated,
    paths,
    components: { ...generated.components, schemas: { ...generated.components?.schemas, Problem: plain(Problem) } },
  };
}

function truthfulOperation(operation: Operation, bodyLimitBytes: number): Operation {
  const responses: Record<string, Response> = {};
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    responses[status] = truthfulResponse(Number(status), response);
  }
  const json = operation.requestBody?.content?.["application/json"];
  if (!json) return { ...operation, responses };
  responses[413] = { description: `The body is larger than ${bodyLimitBytes} bytes`, content: problemContent() };
  return { ...operation, requestBody: { ...operation.requestBody, content: { "application/json": json } }, responses };
}

function truthfulResponse(status: number, response: Response): Response {
  if (status === 204 || status === 304) {
    const { content: _none, ...bodiless } = response;
    return bodiless;
  }
  const [media] = Object.values(response.content ?? {});
  const schema = media?.schema;
  if (!schema || "$ref" in schema) return response;
  if (status >= 400 && isProblem(schema)) return { ...response, content: problemContent() };
  if (schema.type === "string" && schema.contentMediaType) {
    const { contentMediaType, ...text } = schema;
    return { ...response, content: { [contentMediaType]: { schema: text } } };
  }
  return response;
}

/** The tag of the kit's own routes (health), which a gateway publishes beside the docs rather than under its API prefix. */
export const OPERATIONS_TAG = "operations";

/**
 * The tag of routes only other W2Meet services call (e.g. the worker's `POST /verification-mails`): the
 * gateway does not route them, so the document it serves leaves them out.
 */
export const INTERNAL_TAG = "internal";

/**
 * The document with the servers "Try it out" should call. Called directly (no `forwardedPrefix`, as the
 * kit's `forwardedPrefix` reads it: a plain path or nothing), every
 * route is at the service's root. Through the gateway, which strips `forwardedPrefix` (e.g. `/users`) from
 * the docs' URL and `apiPrefix` from the API's, the API routes are under `apiPrefix`, the operations
 * routes beside the docs, under `forwardedPrefix`, and the internal routes, which it does not route, are left out.
 */
export function withServers(document: OpenAPIDocument, options: { forwardedPrefix?: string; apiPrefix: string }): OpenAPIDocument {
  const { openapi, info, ...rest } = document;
  const prefix = options.forwardedPrefix;
  if (!prefix) return { openapi, info, servers: [{ url: "/", description: "The service itself" }], ...rest };
  const paths: OpenAPIDocument["paths"] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const operations = METHODS.map((method) => item[method] as { tags?: string[] } | undefined).filter((operation) => operation);
    const all = (tag: string) => operations.length > 0 && operations.every((operation) => operation!.tags?.includes(tag));
    if (all(INTERNAL_TAG)) continue;
    paths[path] = all(OPERATIONS_TAG) ? { ...item, servers: [{ url: prefix, description: "Through the gateway, beside the docs" }] } : item;
  }
  return { openapi, info, servers: [{ url: options.apiPrefix, description: "Through the gateway" }], ...rest, paths };
}
