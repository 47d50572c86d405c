import type { DateException, Preference, UserAvailability } from "@w2meet/contracts";
import { normalizeWeek, type Week } from "@w2meet/schedule";

/** What a person may add to their week: if-needed time, a time zone, dated exceptions. */
type Extras = { if_needed?: Partial<Week>; time_zone?: string; dates?: DateException[] };

/** A person as the users service answers them: their week (normalized), preference, zone and exceptions. */
export const person = (email: string, week: Partial<Week>, preference: Preference = "first", extras: Extras = {}): UserAvailability => ({
  email,
  availabilities: normalizeWeek(week),
  if_needed: normalizeWeek(extras.if_needed ?? {}),
  time_zone: extras.time_zone ?? "UTC",
  dates: extras.dates ?? [],
  preference,
});
