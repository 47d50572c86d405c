import { EMAIL_PATTERN, MAX_GROUP, MIN_GROUP, type FieldError, type GroupQuery } from "@w2meet/contracts";
import { invalid } from "./errors.ts";

/**
 * The distinct, lower-cased emails of a group, in the order first named.
 * Throws a 400 naming `field` unless every entry is an email and `fewest` (2) to 100 distinct remain.
 */
export function normalizeGroup(entries: readonly string[], field: string, fewest = MIN_GROUP): string[] {
  const errors: FieldError[] = [];
  const emails = new Set<string>();
  entries.forEach((entry, index) => {
    const email = entry.trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) {
      errors.push({ path: field, message: `Entry ${index + 1} (${JSON.stringify(entry.slice(0, 80))}) is not an email` });
    } else emails.add(email);
  });
  if (!errors.length && (emails.size < fewest || emails.size > MAX_GROUP)) {
    errors.push({ path: field, message: `Name ${fewest} to ${MAX_GROUP} distinct emails; got ${emails.size}` });
  }
  if (errors.length) throw invalid(errors);
  return [...emails];
}

/**
 * The group a request names: a list of emails (`users`), or the seed system's `userId1` and `userId2`,
 * which come together. `hint` says how to name a group when neither is given.
 */
export function groupOf(
  named: { users?: readonly string[]; userId1?: string; userId2?: string },
  hint = "Name the group with users=email,email,...",
): string[] {
  if (named.users !== undefined) return normalizeGroup(named.users, "users");
  if (named.userId1 !== undefined || named.userId2 !== undefined) {
    const missing = (["userId1", "userId2"] as const).filter((key) => !named[key]);
    if (missing.length) throw invalid(missing.map((path) => ({ path, message: "Required with the other userId" })));
    return normalizeGroup([named.userId1!, named.userId2!], "users");
  }
  throw invalid([{ path: "users", message: hint }]);
}

/** The group a query names: `users=a,b,...`, or the seed system's `userId1` and `userId2`. */
export const groupFromQuery = (query: GroupQuery): string[] =>
  groupOf({ ...query, users: query.users?.split(",").filter((entry) => entry.trim()) });
