import { Elysia } from "elysia";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The header that carries a request's case id across every hop. */
export const CASE_ID_HEADER = "case-id";

/** Keeps a well-formed incoming case id, otherwise makes a new one. */
export function resolveCaseId(incoming: string | null | undefined): string {
  return incoming && VALID.test(incoming) ? incoming : crypto.randomUUID();
}

// Kept on the request's `set` apart from the response headers too, since `jsonResponse` moves those into
// the answer it makes. A property, not a WeakMap entry: it costs nothing to drop with the request.
const CASE_ID = Symbol("w2meet.caseId");
type WithCaseId = { headers: Record<string, unknown>; [CASE_ID]?: string };

/** The case id of the request being handled, set by the `caseId` plugin on every request. */
export const caseIdOf = (set: { headers: Record<string, unknown> }) => (set as WithCaseId)[CASE_ID] as string;

/**
 * Case ids: keeps a well-formed incoming `Case-ID` (1–128 of `[A-Za-z0-9._:-]`), otherwise makes a new
 * one, and echoes it on the response, where every later hook and handler reads it with `caseIdOf(set)`.
 */
export const caseId = () =>
  new Elysia({ name: "kit.case-id" }).onRequest(({ request, set }) => {
    const id = resolveCaseId(request.headers.get(CASE_ID_HEADER));
    (set as WithCaseId)[CASE_ID] = id;
    set.headers[CASE_ID_HEADER] = id;
  });
