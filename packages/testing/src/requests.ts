/** Sends a JSON request to an in-process app, the way route tests do. */
export function jsonRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The JSON body of a response, as the contract type the test expects. */
export const bodyOf = async <T>(response: Response): Promise<T> => (await response.json()) as T;
