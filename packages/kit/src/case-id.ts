const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The header that carries a request's case id across every hop. */
export const CASE_ID_HEADER = "case-id";

/** Keeps a well-formed incoming case id, otherwise makes a new one. */
export function resolveCaseId(incoming: string | null | undefined): string {
  return incoming && VALID.test(incoming) ? incoming : crypto.randomUUID();
}
