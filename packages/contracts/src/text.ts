import { Type, type StringOptions } from "@sinclair/typebox";

// C0 and C1 controls (NUL, DEL and line breaks included), and the bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) that can make a name or a title display as something else.
const REFUSED = "\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069";

/**
 * Text a person reads (a name, a meeting title): no control characters, no bidirectional overrides or
 * isolates, and not blank. Leading spaces, then one visible character, then anything allowed: the
 * parts cannot overlap, so checking takes time in proportion to the text (no backtracking).
 */
export const DISPLAY_TEXT_PATTERN = `^\\s*[^\\s${REFUSED}][^${REFUSED}]*$`;

/** What a field with `DISPLAY_TEXT_PATTERN` takes, in the words of a 400 answer. */
export const DISPLAY_TEXT_RULE = "Expected text that is not blank, without control characters or bidirectional overrides";

/** A string a person reads, holding to `DISPLAY_TEXT_PATTERN`. */
export const DisplayText = (options: StringOptions = {}) =>
  Type.String({
    ...options,
    pattern: DISPLAY_TEXT_PATTERN,
    description: [options.description, "Not blank; no control characters or bidirectional overrides"].filter(Boolean).join(". "),
  });
