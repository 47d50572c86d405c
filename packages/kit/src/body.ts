import { BODY_SHAPE_LIMITS, shapeErrors, tooDeepPath } from "./body-shape.ts";
import { invalid, ProblemError } from "./errors.ts";

export { BODY_SHAPE_LIMITS };

/** Requests with a larger body are refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The 413 of a body over `BODY_LIMIT_BYTES`. */
export const payloadTooLarge = () => new ProblemError("payload_too_large", `The body is larger than ${BODY_LIMIT_BYTES} bytes`);
/** What `decode` gives, or a 400 naming the body with `message` when it throws. */
function orNotJson<T>(decode: () => T, message: string): T {
  try {
    return decode();
  } catch {
    throw invalid([{ path: "(body)", message }], "The request body could not be parsed");
  }
}

/** The bytes of a body, refused with 413 as soon as more than `limit` arrive (a chunked body has no length to check first). */
async function readBody(request: Request, limit = BODY_LIMIT_BYTES): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the throw) cancels the stream, so the rest is never buffered.
  for await (const chunk of request.body) {
    size += chunk.byteLength;
    if (size > limit) throw payloadTooLarge();
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const isJsonType = (contentType: string) => {
  const type = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return type === "" || type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses a JSON body the way every W2Meet route takes it: at most `BODY_LIMIT_BYTES` (413), JSON
 * (415 for another content type), valid UTF-8 and Unicode, and within `BODY_SHAPE_LIMITS` (400 naming
 * the place), so that the route's schema then checks a value of bounded size. An empty body is `null`.
 */
export async function parseJsonBody(request: Request, contentType: string): Promise<unknown> {
  const bytes = await readBody(request);
  if (bytes.byteLength === 0) return null;
  if (!isJsonType(contentType)) {
    throw new ProblemError(
      "unsupported_media_type",
      `The body must be JSON (content-type application/json), not ${contentType.slice(0, 100)}`,
    );
  }
  const text = orNotJson(() => utf8.decode(bytes), "The body is not valid UTF-8");
  // Found in the text, before parsing: parsing 32,000 nested arrays costs milliseconds and megabytes.
  const deep = tooDeepPath(text);
  if (deep !== undefined)
    throw invalid([{ path: deep, message: `Nested deeper than ${BODY_SHAPE_LIMITS.depth} levels` }], "The request body has invalid fields");
  const value: unknown = orNotJson(() => JSON.parse(text), "The body is not valid JSON");
  const errors = shapeErrors(value);
  if (errors.length) throw invalid(errors, "The request body has invalid fields");
  return value;
}
