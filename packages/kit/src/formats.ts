// @elysiajs/openapi bundles @sinclair/typemap, which on import replaces TypeBox's global string
// formats (`email`, `uuid`, `url`, ...) with checks that build a new Zod or Valibot schema on every
// call: a response listing two emails spent most of its CPU there. Importing the plugin here first
// guarantees its replacements have run before ours put Elysia's own regex checks back.
import "@elysiajs/openapi";
import { FormatRegistry } from "@sinclair/typebox";
import { fullFormats } from "elysia/type-system/format";
import { IANAZone } from "luxon";

// IANA names are letters, digits, '_', '-', '+' and '/': this keeps out the offsets ("+01:00") Intl also takes.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const zoneNames = new Map<string, boolean>();

/**
 * Whether `name` is a zone of the IANA time zone database (Luxon asks the runtime's Intl, which carries it).
 * Asking builds an Intl.DateTimeFormat, tens of microseconds, and every answer naming a person's zone is
 * checked, so answers are remembered (a few hundred zones exist; the map is bounded against made-up names).
 */
function isTimeZone(name: string): boolean {
  let known = zoneNames.get(name);
  if (known === undefined) {
    known = name.length <= 64 && ZONE_NAME.test(name) && IANAZone.isValidZone(name);
    if (zoneNames.size >= 10_000) zoneNames.clear();
    zoneNames.set(name, known);
  }
  return known;
}

// Elysia wraps these two in lenient parsers of its own, and typemap leaves `date-time` alone.
const KEPT = new Set(["date", "date-time"]);

/**
 * Registers `time-zone` (an IANA name) and restores Elysia's plain checks (regular expressions) for the string formats that
 * `@elysiajs/openapi` replaces with per-call schema building. Process-wide and idempotent.
 */
export function useFastFormats(): void {
  for (const [name, check] of Object.entries(fullFormats)) {
    if (KEPT.has(name)) continue;
    if (check instanceof RegExp) FormatRegistry.Set(name, (value) => check.test(value));
    else if (typeof check === "function") FormatRegistry.Set(name, check as (value: string) => boolean);
  }
  FormatRegistry.Set("time-zone", isTimeZone);
}
