/** How a fake service replies to a call to its route. */
export type FakeServiceAnswer = (url: URL, request: Request) => Response | Promise<Response>;

const queryOf = (url: URL) => ({ query: url.searchParams });

/**
 * A stand-in for a downstream service on a real local port, for tests of the service that calls it.
 * It answers `/health/live`, 404s any other path but `path`, and replies to each call to `path` with
 * `answer`, first pushing onto `calls` the call's case id and what `record` takes from it (by default
 * its query). Tests can then swap the reply (`answerWith`), fail every call (`failWith`, whose body
 * defaults to `failure(status)`, else `{ status, detail: "failing on purpose" }`), or hold every call
 * unanswered (`hang`) until `stop`, which releases held calls with a 204 and stops the server.
 */
export function startFakeService<Recorded extends object = { query: URLSearchParams }>(options: {
  path: string;
  answer: FakeServiceAnswer;
  record?: (url: URL, request: Request) => Recorded;
  failure?: (status: number) => unknown;
  /** Where it listens: 127.0.0.1 and a free port unless given (replicas of one service share a port on 127.0.0.x). */
  hostname?: string;
  port?: number;
}) {
  const record = options.record ?? (queryOf as (url: URL) => Recorded);
  const failure = options.failure ?? ((status: number) => ({ status, detail: "failing on purpose" }));
  const calls: ({ caseId: string | null } & Recorded)[] = [];
  const held: (() => void)[] = [];
  let answer = options.answer;
  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? "127.0.0.1",
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/health/live") return Response.json({ status: "alive" });
      if (url.pathname !== options.path) return new Response(null, { status: 404 });
      calls.push({ caseId: request.headers.get("case-id"), ...record(url, request) });
      return answer(url, request);
    },
  });
  const answerWith = (next: FakeServiceAnswer) => {
    answer = next;
  };
  return {
    url: `http://${options.hostname ?? "127.0.0.1"}:${server.port}`,
    port: server.port as number,
    calls,
    /** Reply to every call with `next` from now on. */
    answerWith,
    /** Reply to every call with this status and JSON body from now on. */
    failWith: (status: number, body: unknown = failure(status)) => answerWith(() => Response.json(body, { status })),
    /** Hold every call unanswered until `stop`. */
    hang: () => answerWith(() => new Promise<Response>((resolve) => held.push(() => resolve(new Response(null, { status: 204 }))))),
    stop: () => {
      for (const release of held) release();
      return server.stop(true);
    },
  };
}
