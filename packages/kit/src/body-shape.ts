import type { FieldError } from "@w2meet/contracts";

/**
 * The shape every JSON body must keep before its route's schema sees it. Each limit is well above what
 * any W2Meet schema accepts (the deepest body nests 3 levels, the longest list takes 1,000 items, the
 * largest object 7 fields, the longest string 254 characters), so no valid request meets them; they
 * exist so that checking and reporting an invalid body costs time and memory in proportion to the
 * body, never more.
 */
export const BODY_SHAPE_LIMITS = { depth: 8, items: 1000, fields: 100, stringLength: 10_000 } as const;
type ShapeLimits = { depth: number; items: number; fields: number; stringLength: number };

// The first few offending places are enough to fix a request; the rest would only grow the answer.
const MAX_REPORTED = 20;
const SHOWN_KEY_LENGTH = 40;
// Names of Object.prototype's members: an object whose own field shadows one (`{"toString": "x"}`) breaks
// code that turns values into text, Elysia's validation messages among them. No W2Meet field is named so.
const SHADOWING = new Set(Object.getOwnPropertyNames(Object.prototype));
// Stands in for the first too-deep value so that the text before it can be parsed and the value found.
const TOO_DEEP = "\u0000too deep\u0000";

/** `["availabilities", "monday", 2]` → `availabilities.monday[2]`, as schema errors name fields. */
function pathOf(trail: readonly (string | number)[]): string {
  let path = "";
  for (const part of trail) {
    if (typeof part === "number") path += `[${part}]`;
    else {
      const key = part.length > SHOWN_KEY_LENGTH ? `${part.slice(0, SHOWN_KEY_LENGTH)}…` : part;
      path += path ? `.${key}` : key;
    }
  }
  return path || "(root)";
}

/**
 * Where a parsed body breaks `BODY_SHAPE_LIMITS` or holds text that is not valid Unicode (an unpaired
 * surrogate, which no storage or mail accepts). Never descends below the depth limit nor into an
 * oversized collection, so its cost is bounded by the body's size.
 */
export function shapeErrors(value: unknown, limits: ShapeLimits = BODY_SHAPE_LIMITS): FieldError[] {
  const errors: FieldError[] = [];
  const trail: (string | number)[] = [];
  const report = (message: string) => errors.push({ path: pathOf(trail), message });
  const visit = (node: unknown, depth: number): void => {
    if (errors.length >= MAX_REPORTED) return;
    if (typeof node === "string") {
      if (node.length > limits.stringLength) report(`Longer than ${limits.stringLength} characters`);
      else if (!node.isWellFormed()) report("Contains an unpaired surrogate (not valid Unicode)");
      return;
    }
    if (node === null || typeof node !== "object") return;
    if (depth > limits.depth) return void report(`Nested deeper than ${limits.depth} levels`);
    if (Array.isArray(node)) {
      if (node.length > limits.items) return void report(`Has ${node.length} items; at most ${limits.items} are accepted`);
      for (let index = 0; index < node.length; index++) {
        trail.push(index);
        visit(node[index], depth + 1);
        trail.pop();
      }
      return;
    }
    const keys = Object.keys(node);
    if (keys.length > limits.fields) return void report(`Has ${keys.length} fields; at most ${limits.fields} are accepted`);
    for (const key of keys) {
      trail.push(key);
      if (key.length > limits.stringLength) report(`Field name longer than ${limits.stringLength} characters`);
      else if (!key.isWellFormed()) report("Field name contains an unpaired surrogate (not valid Unicode)");
      else if (SHADOWING.has(key)) report("Not a field of this request");
      else visit((node as Record<string, unknown>)[key], depth + 1);
      trail.pop();
    }
  };
  visit(value, 1);
  return errors;
}

const QUOTE = 34,
  BACKSLASH = 92,
  OPEN_ARRAY = 91,
  OPEN_OBJECT = 123,
  CLOSE_ARRAY = 93,
  CLOSE_OBJECT = 125;

/**
 * The path of the first array or object in JSON text that nests deeper than `limit`, found in one pass
 * over the text without parsing it; undefined when none does. The text up to that point, with the value
 * replaced by a marker and the open brackets closed, is small and shallow: parsing it names the place.
 */
export function tooDeepPath(text: string, limit: number = BODY_SHAPE_LIMITS.depth): string | undefined {
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (open.length === limit) return markerPath(text.slice(0, i), open);
      open.push(code);
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) open.pop();
  }
  return undefined;
}

function markerPath(before: string, open: readonly number[]): string {
  const closing = open
    .map((code) => (code === OPEN_ARRAY ? "]" : "}"))
    .reverse()
    .join("");
  let value: unknown;
  try {
    value = JSON.parse(`${before}${JSON.stringify(TOO_DEEP)}${closing}`);
  } catch {
    // The text was not JSON before it got too deep either; the place is still the nesting.
    return "(body)";
  }
  const trail: (string | number)[] = [];
  const find = (node: unknown): boolean => {
    if (node === TOO_DEEP) return true;
    if (node === null || typeof node !== "object") return false;
    for (const [key, child] of Object.entries(node)) {
      trail.push(Array.isArray(node) ? Number(key) : key);
      if (find(child)) return true;
      trail.pop();
    }
    return false;
  };
  return find(value) ? pathOf(trail) : "(body)";
}
