/** The browser's own time zone. */
export const detectedZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** Fills a select with every time zone the browser knows, `selected` chosen. */
export function fillZones(select: HTMLSelectElement, selected: string) {
  const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone"), selected]);
  select.replaceChildren(...[...zones].sort().map((zone) => new Option(zone.replaceAll("_", " "), zone, false, zone === selected)));
  select.value = selected;
}
