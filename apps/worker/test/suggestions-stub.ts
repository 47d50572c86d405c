import type { Suggestion } from "@w2meet/contracts";
import { startFakeService } from "@w2meet/testing";

type Answer = { status: number; body: unknown };

/**
 * A real HTTP server that answers `GET /suggestions` like the suggestions service, for tests of the
 * worker alone. `answer` decides each reply; every request's query and case id are recorded.
 */
export function startSuggestionsStub(answer: (query: URLSearchParams) => Answer = suggestionsOf(SLOT)) {
  const fake = startFakeService({ path: "/suggestions", answer: reply(answer) });
  return {
    url: fake.url,
    requests: fake.calls,
    answerWith(next: (query: URLSearchParams) => Answer) {
      fake.answerWith(reply(next));
    },
    /** Goes back to the answer the stub started with. */
    reset() {
      fake.answerWith(reply(answer));
    },
    stop: fake.stop,
  };
}

/** Sends what `decide` makes of the query as a JSON reply. */
const reply = (decide: (query: URLSearchParams) => Answer) => (url: URL) => {
  const { status, body } = decide(url.searchParams);
  return Response.json(body, { status });
};

/** A Wednesday 10:00–11:00 slot for everyone asked. */
export const SLOT: Pick<Suggestion, "day" | "slot" | "preference"> = { day: "wednesday", slot: [10, 11], preference: "first" };

/** A 200 answer with one suggestion that everyone named in the query can attend. */
function suggestionsOf(slot: Pick<Suggestion, "day" | "slot" | "preference">) {
  return (query: URLSearchParams): Answer => {
    const attendees = (query.get("users") ?? "").split(",");
    const hours = Number(query.get("duration") ?? 60) / 60;
    return { status: 200, body: { suggestions: [{ ...slot, slot: [slot.slot[0], slot.slot[0] + hours], attendees, missing: [] }] } };
  };
}
