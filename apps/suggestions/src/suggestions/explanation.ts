import { type Explanation, MAX_WINDOW_DAYS } from "@w2meet/contracts";
import { invalid } from "@w2meet/kit";
import { explainDated, explainWeekly, type Explanation as Found, writeAssumption } from "@w2meet/schedule";
import type { SuggestionRequest } from "./request.ts";
import { meetingOf, type SuggestionsDeps } from "./service.ts";

/** The query parameters that apply each kind of change on top of the request's own. */
function applying(request: SuggestionRequest) {
  const list = (items: readonly string[]) => items.join(",");
  return {
    shorter: (minutes: number) => ({ duration: String(minutes) }),
    fewer: (min: number) => ({ min_attendees: String(min) }),
    // Leaving someone out of a group whose min_attendees was everyone: everyone of those left.
    drop: (email: string) => ({
      without: list([...request.without, email]),
      ...(request.minAttendees !== undefined && { min_attendees: String(request.users.length - 1) }),
    }),
    ifNeeded: (email: string) => ({ if_needed: list([...(request.ifNeededOf ?? []), email]) }),
    assume: (entry: string) => ({ assume: list([...request.assume.map(writeAssumption), entry]) }),
    days: (days: number) => ({ days: String(days) }),
  };
}

/** The package's explanation in the route's terms: each change with the parameters that apply it. */
function answer<P>(found: Found<P>, request: SuggestionRequest): Explanation {
  const apply = applying(request);
  const { relaxations: r } = found;
  return {
    feasible: found.feasible,
    slots: found.slots,
    blockers: found.blockers,
    relaxations: {
      shorter: r.shorter.map(({ minutes, ...opened }) => ({ duration: minutes, ...opened, apply: apply.shorter(minutes) })),
      fewer_attendees: r.fewer_attendees.map((f) => ({ ...f, apply: apply.fewer(f.min_attendees) })),
      drop_optional: r.drop_optional.map((d) => ({ ...d, apply: apply.drop(d.email) })),
      if_needed: r.if_needed.map((d) => ({ ...d, apply: apply.ifNeeded(d.email) })),
      free_block: r.free_block.map((b) => {
        const entry = writeAssumption(b.assume);
        return { ...b, assume: entry, apply: apply.assume(entry) };
      }),
      wider_window: r.wider_window.map((w) => ({ ...w, apply: apply.days(w.days) })),
    },
  } as Explanation;
}

/**
 * Explains a group's answer to a suggestions query: how many slots fit, who alone blocks the most, and
 * when none fits the smallest changes that would open one. A dated query also tries more days, up to the
 * longest window a query may ask.
 */
export async function explain(deps: SuggestionsDeps, request: SuggestionRequest, caseId: string): Promise<Explanation> {
  if (request.at) throw invalid([{ path: "at", message: "Explain a window (`from`, `days`), not one start" }]);
  const found = await deps.members(request.users, caseId);
  const options = meetingOf(request);
  const { calendar, zone } = request.window;
  if (calendar) return answer(explainDated(found, calendar, options, MAX_WINDOW_DAYS), request);
  return answer(explainWeekly(found, zone, Date.now(), options), request);
}
