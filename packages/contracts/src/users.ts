import { Type, type Static } from "@sinclair/typebox";
import { QueryInteger } from "./query.ts";
import { DisplayText } from "./text.ts";
import { CalendarDate, TimeZone, ZoneName } from "./time.ts";
import { DaySlots, DaySlotsInput, Preference, Week, WeekInput } from "./week.ts";

/** The shape of an email address (the same rule as the `email` format of the routes). */
export const EMAIL_PATTERN =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** An email address; compared case-insensitively and stored lower-case. */
export const Email = Type.String({ format: "email", maxLength: 254, examples: ["ada@example.com"] });

/** A name as a client sends it; answers keep the plain string so that names stored before the rule still read back. */
const NameInput = DisplayText({ minLength: 1, maxLength: 200, examples: ["Ada Lovelace"] });
const Name = Type.String({ minLength: 1, maxLength: 200, examples: ["Ada Lovelace"] });
const Timestamp = Type.String({ format: "date-time", description: "ISO 8601, UTC" });

/** A password as a client sends it: never stored, never answered; hashed with Argon2id. */
export const Password = Type.String({
  minLength: 10,
  maxLength: 128,
  description: "10 to 128 characters",
  examples: ["correct horse battery"],
});

/** Hours a person can make but would rather not, in the form of {@link WeekInput}; hours also in `availabilities` count as available. */
const IfNeededInput = Type.Unsafe<WeekInput>({
  ...WeekInput,
  description: "If-needed time per weekday: whole hours or ranges on the 15-minute grid; a missing day has none",
  examples: [{ friday: ["16:00-18:00"] }],
});

/** A registered person. */
export const User = Type.Object({
  email: Email,
  name: Name,
  availabilities: Week,
  if_needed: Type.Unsafe<Week>({ ...Week, description: "Hours the person can make but would rather not, per weekday" }),
  time_zone: ZoneName,
  preference: Preference,
  protected: Type.Boolean({ description: "Has a password: changing or deleting the profile needs a token for this email" }),
  email_verified: Type.Boolean({ description: "The address proved by a mailed code: invitations are mailed only then" }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type User = Static<typeof User>;

/** Body of `POST /users`. */
export const CreateUser = Type.Object(
  {
    email: Email,
    name: NameInput,
    availabilities: Type.Optional(WeekInput),
    if_needed: Type.Optional(IfNeededInput),
    time_zone: Type.Optional(TimeZone),
    preference: Type.Optional(Preference),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type CreateUser = Static<typeof CreateUser>;

/** Body of `PUT /users/{email}`: the whole replaceable state of a user. */
export const ReplaceUser = Type.Object(
  {
    name: NameInput,
    availabilities: WeekInput,
    if_needed: Type.Optional(Type.Unsafe<WeekInput>({ ...IfNeededInput, description: "If-needed hours; absent keeps them" })),
    time_zone: Type.Optional(Type.Unsafe<string>({ ...TimeZone, description: "IANA time zone of the weekly hours; absent keeps it" })),
    preference: Preference,
    password: Type.Optional(
      Type.Union([Password, Type.Null()], {
        description: "A new password (on an open profile: only once its email is verified); null removes it; absent keeps it",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReplaceUser = Static<typeof ReplaceUser>;

export const UserParams = Type.Object({ email: Email });

export const ListUsersQuery = Type.Object({
  limit: Type.Optional(QueryInteger({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(
    Type.String({
      maxLength: 400,
      pattern: "^[A-Za-z0-9_-]*$",
      description: "`next_cursor` of the previous page (base64url); empty for the first",
    }),
  ),
});
export type ListUsersQuery = Static<typeof ListUsersQuery>;

export const UserPage = Type.Object({
  users: Type.Array(User),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: "null on the last page" }),
});
export type UserPage = Static<typeof UserPage>;

/** The most dated exceptions one person may keep, and how far ahead they may lie. */
export const MAX_DATE_EXCEPTIONS = 400;
export const MAX_DAYS_AHEAD = 366;

/** Body of `PUT /users/{email}/dates/{date}`: that local date's free time, instead of the weekly pattern. */
export const DateExceptionInput = Type.Object(
  {
    available: DaySlotsInput,
    if_needed: Type.Optional(DaySlotsInput),
  },
  { additionalProperties: false, examples: [{ available: ["13:00-17:00"] }, { available: [] }] },
);
export type DateExceptionInput = Static<typeof DateExceptionInput>;

/** One date whose free time replaces the weekly pattern; an empty `available` is a day away. */
export const DateException = Type.Object(
  { date: CalendarDate, available: DaySlots, if_needed: DaySlots },
  { examples: [{ date: "2026-12-24", available: [], if_needed: [] }] },
);
export type DateException = Static<typeof DateException>;

export const DateParams = Type.Object({ email: Email, date: CalendarDate });

export const DateListQuery = Type.Object({
  from: Type.Optional(Type.Unsafe<string>({ ...CalendarDate, description: "First date listed; all when absent" })),
  to: Type.Optional(Type.Unsafe<string>({ ...CalendarDate, description: "Last date listed; all when absent" })),
});
export type DateListQuery = Static<typeof DateListQuery>;

/** Answer of `GET /users/{email}/dates`: the person's exceptions, dates ascending. */
export const DateExceptionList = Type.Object({ dates: Type.Array(DateException) });
export type DateExceptionList = Static<typeof DateExceptionList>;

/**
 * What the scheduling services need of a person: their weekly hours in their zone, and their dated exceptions.
 * What a person does not use is left out, so the answer for someone in UTC with only weekly hours is what it
 * always was (and the hop carries no more than it needs).
 */
export const UserAvailability = Type.Object({
  email: Email,
  availabilities: Week,
  if_needed: Type.Optional(Type.Unsafe<Week>({ ...Week, description: "If-needed hours per weekday; absent when none" })),
  time_zone: Type.Optional(Type.Unsafe<string>({ ...ZoneName, description: "IANA time zone of the weekly hours; absent for UTC" })),
  dates: Type.Optional(
    Type.Array(DateException, { minItems: 1, description: "Exceptions from yesterday on, dates ascending; absent when none" }),
  ),
  preference: Preference,
});
export type UserAvailability = Static<typeof UserAvailability>;

/** Answer of `GET /users/availability?users=`: found people in request order, and the unknown ones. */
export const GroupAvailability = Type.Object({
  users: Type.Array(UserAvailability),
  missing: Type.Array(Type.String()),
});
export type GroupAvailability = Static<typeof GroupAvailability>;
