import { Elysia } from "elysia";
import { BODY_LIMIT_BYTES, parseJsonBody, payloadTooLarge } from "../body.ts";

const TAKES_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * Bodies no larger than `BODY_LIMIT_BYTES` (413 problem, before a byte is read when the length is
 * declared), JSON only (415), and within the shape limits of `body-shape.ts` before a route's schema
 * sees them (a 400 naming the place): no body, however built, costs more than its size to refuse.
 */
export const bodyLimits = () =>
  new Elysia({ name: "kit.body-limits" })
    // Thrown, not returned: Elysia reads a hook's source to tell whether it may return a promise, takes
    // `return f(` for one, and one such hook makes its handler of every request async.
    .onRequest(function refuseDeclaredOversize({ request }) {
      if (Number(request.headers.get("content-length") ?? 0) > BODY_LIMIT_BYTES) throw payloadTooLarge();
    })
    // Runs only for methods that carry a body (Elysia never parses GET or HEAD); other methods' bodies are ignored.
    .onParse({ as: "global" }, ({ request }, contentType) => (TAKES_BODY.has(request.method) ? parseJsonBody(request, contentType) : null))
    // Never reached (the parser above always answers), but it is how the OpenAPI document learns that
    // bodies are application/json: it cannot see inside a parser function.
    .on({ as: "global" }, "parse", { fn: "json" } as never);
