import type { DateException, Preference, UserAvailability } from "@w2meet/contracts";
import { normalizeWeek, type Week } from "@w2meet/schedule";

/** What a person may add to their week: if-needed time, a time zone, dated exceptions. */
type Extras = { if_needed?: Partial<Week>; time_zone?: string; dates?: DateException[] };

/**
 * A person as the users service answers them: their week (normalized) and preference, and only the extras
 * they use (the service leaves out an empty if-needed week, UTC and no exceptions).
 */
export const person = (email: string, week: Partial<Week>, preference: Preference = "first", extras: Extras = {}): UserAvailability => ({
  email,
  availabilities: normalizeWeek(week),
  ...(extras.if_needed && { if_needed: normalizeWeek(extras.if_needed) }),
  ...(extras.time_zone && { time_zone: extras.time_zone }),
  ...(extras.dates?.length && { dates: extras.dates }),
  preference,
});
