import type { Suggestion } from "@w2meet/contracts";

type Answer = { status: number; body: unknown };

/**
 * A real HTTP server that answers `GET /suggestions` like the suggestions service, for tests of the
 * worker alone. `answer` decides each reply; every request's query and case id are recorded.
 */
export function startSuggestionsStub(answer: (query: URLSearchParams) => Answer = suggestionsOf(SLOT)) {
  const requests: { query: URLSearchParams; caseId: string | null }[] = [];
  let decide = answer;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/health/live") return Response.json({ status: "alive" });
      if (url.pathname !== "/suggestions") return Response.json({ status: 404 }, { status: 404 });
      requests.push({ query: url.searchParams, caseId: request.headers.get("case-id") });
      const { status, body } = decide(url.searchParams);
      return Response.json(body, { status });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    answerWith(next: (query: URLSearchParams) => Answer) {
      decide = next;
    },
    /** Goes back to the answer the stub started with. */
    reset() {
      decide = answer;
    },
    stop: () => server.stop(true),
  };
}

/** A Wednesday 10:00–11:00 slot for everyone asked. */
export const SLOT: Pick<Suggestion, "day" | "slot" | "preference"> = { day: "wednesday", slot: [10, 11], preference: "first" };

/** A 200 answer with one suggestion that everyone named in the query can attend. */
export function suggestionsOf(slot: Pick<Suggestion, "day" | "slot" | "preference">) {
  return (query: URLSearchParams): Answer => {
    const attendees = (query.get("users") ?? "").split(",");
    const hours = Number(query.get("duration") ?? 60) / 60;
    return { status: 200, body: { suggestions: [{ ...slot, slot: [slot.slot[0], slot.slot[0] + hours], attendees, missing: [] }] } };
  };
}
