/**
 * Time zones: names, offsets and the instants of wall-clock times, from the IANA database through Luxon
 * (which reads it from the runtime's Intl). Offsets are asked of Luxon once per zone and UTC day, and
 * cached as segments of constant offset, since one lookup costs microseconds.
 */
import { IANAZone } from "luxon";
import { DAY_MS } from "./pattern.ts";

const MINUTE_MS = 60_000;
// IANA names are letters, digits, '_', '-', '+' and '/': this keeps out the offsets ("+01:00") Intl also takes.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const zones = new Map<string, IANAZone | null>();

function zoneOf(name: string): IANAZone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = ZONE_NAME.test(name) && name.length <= 64 && IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    if (zones.size > 10_000) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

/** Whether `name` is a time zone of the IANA database (any letter case). */
export const isTimeZone = (name: string): boolean => zoneOf(name) !== null;

const canonicalNames = new Map<string, string>();

/** The database's own spelling of a zone name, e.g. `europe/berlin` → `Europe/Berlin` (remembered: asking Intl is slow). */
export function canonicalZone(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    if (!isTimeZone(name)) throw new RangeError(`Unknown time zone ${name}`);
    canonical = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    if (canonicalNames.size >= 10_000) canonicalNames.clear();
    canonicalNames.set(name, canonical);
  }
  return canonical;
}

/** A span of instants [from, to) over which a zone's offset (minutes east of UTC) does not change. */
export type OffsetSegment = { from: number; to: number; offset: number };

const segmentCache = new Map<string, OffsetSegment[]>();
const SAMPLES_PER_DAY = 8;

/** The offset of `zone` at instant `ms`, in minutes. */
function rawOffset(zone: string, ms: number): number {
  return zone === "UTC" ? 0 : zoneOf(zone)!.offset(ms);
}

/** The segments of one UTC day: sampled every 3 hours, each change found to the minute by bisection. */
function daySegments(zone: string, day: number): OffsetSegment[] {
  const key = `${zone}|${day}`;
  let segments = segmentCache.get(key);
  if (segments) return segments;
  segments = [];
  const start = day * DAY_MS;
  const step = DAY_MS / SAMPLES_PER_DAY;
  let from = start;
  let offset = rawOffset(zone, start);
  for (let s = 1; s <= SAMPLES_PER_DAY; s++) {
    const at = start + s * step;
    const next = s === SAMPLES_PER_DAY ? rawOffset(zone, at - MINUTE_MS) : rawOffset(zone, at);
    if (next !== offset) {
      // The change is in (at - step, at]: bisect to the first minute with the new offset.
      let low = at - step;
      let high = s === SAMPLES_PER_DAY ? at - MINUTE_MS : at;
      while (high - low > MINUTE_MS) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (rawOffset(zone, middle) === offset) low = middle;
        else high = middle;
      }
      segments.push({ from, to: high, offset });
      from = high;
      offset = next;
    }
  }
  segments.push({ from, to: start + DAY_MS, offset });
  if (segmentCache.size > 100_000) segmentCache.clear();
  segmentCache.set(key, segments);
  return segments;
}

/** The offset segments of `zone` covering [from, to), merged where the offset does not change. */
export function offsetSegments(zone: string, from: number, to: number): OffsetSegment[] {
  if (zone === "UTC") return [{ from, to, offset: 0 }];
  const out: OffsetSegment[] = [];
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    for (const segment of daySegments(zone, day)) {
      if (segment.to <= from || segment.from >= to) continue;
      const last = out[out.length - 1];
      if (last && last.offset === segment.offset) last.to = Math.min(segment.to, to);
      else out.push({ from: Math.max(segment.from, from), to: Math.min(segment.to, to), offset: segment.offset });
    }
  }
  return out;
}

/** The offset of `zone` at `ms`, in minutes east of UTC. */
export function offsetAt(zone: string, ms: number): number {
  for (const segment of daySegments(zone, Math.floor(ms / DAY_MS))) if (ms < segment.to) return segment.offset;
  return rawOffset(zone, ms);
}

/**
 * The instant of a wall-clock time in `zone`, given as milliseconds of a UTC-based local timeline. A time
 * that occurs twice (clocks going back) is its earlier instant; one that does not occur (clocks going
 * forward) is moved forward by the gap, as Temporal's "compatible" disambiguation does — so a midnight
 * that is skipped starts its day at the change.
 */
export function instantOf(zone: string, local: number): number {
  const before = offsetAt(zone, local - DAY_MS);
  const after = offsetAt(zone, local + DAY_MS);
  const early = local - before * MINUTE_MS;
  const late = local - after * MINUTE_MS;
  const earlyValid = offsetAt(zone, early) === before;
  const lateValid = offsetAt(zone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  return early;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export const dayNumber = (date: string): number => Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;

/** The `YYYY-MM-DD` date of a day number. */
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Monday-first weekday index (0 = Monday) of a day number; 1970-01-01 was a Thursday. */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** The date (day number) in `zone` at instant `ms`. */
export const localDay = (zone: string, ms: number): number => Math.floor((ms + offsetAt(zone, ms) * MINUTE_MS) / DAY_MS);

/** An instant as ISO 8601 with the offset of `zone` at it, e.g. `2026-11-23T09:00:00+01:00` (`Z` for +00:00). */
export function isoIn(zone: string, ms: number): string {
  const offset = offsetAt(zone, ms);
  const local = new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const sign = offset < 0 ? "-" : "+";
  const minutes = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Minutes after local midnight of an instant in `zone`. */
export const wallMinutes = (zone: string, ms: number): number => {
  const local = ms + offsetAt(zone, ms) * MINUTE_MS;
  return (local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS;
};
