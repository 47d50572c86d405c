// Calls to the API on the page's own origin, and its errors in words with their case id.

/** An answer of the API that was not a success, in words a person can read and quote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly caseId: string | undefined,
    readonly fields: string[] = [],
  ) {
    super(message);
  }

  /** The whole message: what went wrong, which fields, and the case id to quote. */
  get words(): string {
    const fields = this.fields.length ? ` (${this.fields.join("; ")})` : "";
    return `${this.message}${fields}${this.caseId ? ` — case ${this.caseId}` : ""}`;
  }
}

type Problem = { title?: string; detail?: string; case_id?: string; errors?: { path?: string; field?: string; message?: string }[] };

const TOKEN_KEY = "w2meet.token";

/** The signed-in person's token for this tab, if any. */
export const storedToken = (): { email: string; token: string } | undefined => {
  const raw = sessionStorage.getItem(TOKEN_KEY);
  return raw ? (JSON.parse(raw) as { email: string; token: string }) : undefined;
};
export const storeToken = (email: string, token: string) => sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ email, token }));

/** Calls `/api{path}` with a JSON body; answers the parsed JSON (undefined when empty) or throws an ApiError. */
export async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const token = storedToken()?.token;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "The server cannot be reached; check your connection", undefined);
  }
  const text = await response.text();
  const json = text ? safeJson(text) : undefined;
  if (response.ok) return json as T;
  const problem = (json ?? {}) as Problem;
  const fields = (problem.errors ?? []).map((e) => `${e.path ?? e.field ?? ""} ${e.message ?? ""}`.trim());
  throw new ApiError(
    response.status,
    problem.detail || problem.title || `The server answered ${response.status}`,
    problem.case_id ?? response.headers.get("case-id") ?? undefined,
    fields,
  );
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** An error of any kind as words for the page. */
export const wordsOf = (error: unknown) => (error instanceof ApiError ? error.words : String(error));

/** Today's date (YYYY-MM-DD) in `zone`. */
export const todayIn = (zone: string, plusDays = 0) => {
  const date = new Date(Date.now() + plusDays * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
};
