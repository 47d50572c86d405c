import { EMAIL_PATTERN, MAX_GROUP, MIN_GROUP, type FieldError, type GroupQuery } from "@w2meet/contracts";
import { invalid } from "./errors.ts";

/**
 * The distinct, lower-cased emails of a group, in the order first named.
 * Throws a 400 naming `field` unless every entry is an email and 2 to 100 distinct remain.
 */
export function normalizeGroup(entries: readonly string[], field: string): string[] {
  const errors: FieldError[] = [];
  const emails = new Set<string>();
  entries.forEach((entry, index) => {
    const email = entry.trim().toLowerCase();
    if (!EMAIL_PATTERN.test(email) || email.length > 254) {
      errors.push({ path: field, message: `Entry ${index + 1} (${JSON.stringify(entry.slice(0, 80))}) is not an email` });
    } else emails.add(email);
  });
  if (!errors.length && (emails.size < MIN_GROUP || emails.size > MAX_GROUP)) {
    errors.push({ path: field, message: `Name ${MIN_GROUP} to ${MAX_GROUP} distinct emails; got ${emails.size}` });
  }
  if (errors.length) throw invalid(errors);
  return [...emails];
}

/** The group a query names: `users=a,b,...`, or the seed system's `userId1` and `userId2`. */
export function groupFromQuery(query: GroupQuery): string[] {
  if (query.users !== undefined) return normalizeGroup(query.users.split(",").filter((e) => e.trim()), "users");
  if (query.userId1 !== undefined || query.userId2 !== undefined) {
    const missing = (["userId1", "userId2"] as const).filter((key) => !query[key]);
    if (missing.length) throw invalid(missing.map((path) => ({ path, message: "Required with the other userId" })));
    return normalizeGroup([query.userId1!, query.userId2!], "users");
  }
  throw invalid([{ path: "users", message: "Name the group with users=email,email,..." }]);
}
