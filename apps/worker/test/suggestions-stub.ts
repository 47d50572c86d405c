import { DAYS, type DatedSuggestion } from "@w2meet/contracts";
import { startFakeService } from "@w2meet/testing";

type Answer = { status: number; body: unknown };

/**
 * A real HTTP server that answers `GET /suggestions` like the suggestions service asked with `from` (the
 * dated form), for tests of the worker alone. `answer` decides each reply; every request's query and case
 * id are recorded.
 */
export function startSuggestionsStub(answer: (query: URLSearchParams) => Answer = suggestionsAt(START)) {
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

/** Where the stub places every meeting unless told otherwise: Wednesday 25 November 2026, 10:00 UTC. */
export const START = "2026-11-25T10:00:00Z";

const MINUTE_MS = 60_000;
const OFFSET = /(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The dated suggestion of a meeting from `start` (ISO 8601 with the offset of the zone it is shown in, e.g.
 * `2026-11-23T09:00:00+01:00`) lasting `minutes`, shown at that same offset, as the suggestions service
 * answers it (`first`, everyone attending).
 */
export function datedSuggestion(start: string, minutes: number, attendees: string[]): DatedSuggestion {
  const [suffix, sign, hours, mins] = OFFSET.exec(start)!;
  const offset = sign ? (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(mins)) : 0;
  const local = (ms: number) => new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 19);
  const startMs = Date.parse(start);
  const date = start.slice(0, 10);
  const firstHour = Number(start.slice(11, 13)) + Number(start.slice(14, 16)) / 60;
  return {
    date,
    day: DAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!,
    start: `${local(startMs)}${suffix}`,
    end: `${local(startMs + minutes * MINUTE_MS)}${suffix}`,
    slot: [firstHour, firstHour + minutes / 60],
    preference: "first",
    attendees,
    missing: [],
  };
}

/** A 200 answer with one suggestion from `start`, as long as the query's duration, that everyone asked can attend. */
export function suggestionsAt(start: string) {
  return (query: URLSearchParams): Answer => {
    const attendees = (query.get("users") ?? "").split(",");
    const minutes = Number(query.get("duration") ?? 60);
    return { status: 200, body: { suggestions: [datedSuggestion(start, minutes, attendees)] } };
  };
}
