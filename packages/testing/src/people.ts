import type { Preference, UserAvailability } from "@w2meet/contracts";
import { normalizeWeek, type Week } from "@w2meet/schedule";

/** A person as the users service answers them: their week (normalized) and preference. */
export const person = (email: string, week: Partial<Week>, preference: Preference = "first"): UserAvailability => ({
  email,
  availabilities: normalizeWeek(week),
  preference,
});
