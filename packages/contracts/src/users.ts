import { Type, type Static } from "@sinclair/typebox";
import { QueryInteger } from "./query.ts";
import { DisplayText } from "./text.ts";
import { Preference, Week, WeekInput } from "./week.ts";

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

/** A registered person. */
export const User = Type.Object({
  email: Email,
  name: Name,
  availabilities: Week,
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

/** What the scheduling services need of a person. */
export const UserAvailability = Type.Object({ email: Email, availabilities: Week, preference: Preference });
export type UserAvailability = Static<typeof UserAvailability>;

/** Answer of `GET /users/availability?users=`: found people in request order, and the unknown ones. */
export const GroupAvailability = Type.Object({
  users: Type.Array(UserAvailability),
  missing: Type.Array(Type.String()),
});
export type GroupAvailability = Static<typeof GroupAvailability>;
