import nodeIcal, { type VEvent } from "node-ical";

/** The events of an iCalendar text, parsed by node-ical (a parser independent of the one that wrote it). */
export const eventsOf = (ics: string): VEvent[] =>
  Object.values(nodeIcal.sync.parseICS(ics)).filter((item): item is VEvent => item?.type === "VEVENT");

/** The METHOD of an iCalendar text as node-ical reads it. */
export const methodOf = (ics: string) => {
  const calendar = Object.values(nodeIcal.sync.parseICS(ics)).find((item) => item?.type === "VCALENDAR") as { method?: string } | undefined;
  return calendar?.method;
};

/** The attendees' addresses of an event, lower-cased, in order. */
export const attendeesOf = (event: VEvent): string[] =>
  [event.attendee ?? []].flat().map((attendee) =>
    String(typeof attendee === "string" ? attendee : attendee.val)
      .replace(/^mailto:/i, "")
      .toLowerCase(),
  );
