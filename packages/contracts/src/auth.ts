import { Type, type Static } from "@sinclair/typebox";
import { IdempotencyKey } from "./tasks.ts";
import { Email, Password } from "./users.ts";

/** Body of `POST /auth/token`. */
export const TokenRequest = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type TokenRequest = Static<typeof TokenRequest>;

/** Answer of `POST /auth/token`: a JWT (EdDSA) for `Authorization: Bearer …`. */
export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal("Bearer"),
  expires_in: Type.Integer({ minimum: 1, description: "Seconds until the token expires (at most 900)" }),
});
export type TokenResponse = Static<typeof TokenResponse>;

/** Body of `POST /auth/verify-email`: mail a single-use code to this address. */
export const VerifyEmailRequest = Type.Object({ email: Email }, { additionalProperties: false });
export type VerifyEmailRequest = Static<typeof VerifyEmailRequest>;

/** Body of `POST /auth/verify-email/confirm`. */
export const VerifyEmailConfirm = Type.Object(
  {
    email: Email,
    code: Type.String({ pattern: "^[0-9]{6}$", description: "The six digits of the mail" }),
    password: Type.Optional(
      Type.String({
        ...Password,
        description: "Protects an open profile with this password (10 to 128 characters): the code proves the address is the caller's",
      }),
    ),
  },
  { additionalProperties: false },
);
export type VerifyEmailConfirm = Static<typeof VerifyEmailConfirm>;

/** Answer of `POST /auth/verify-email` (202): the code is on its way; when it expires. */
export const VerificationSent = Type.Object({ email: Email, expires_at: Type.String({ format: "date-time" }) });
export type VerificationSent = Static<typeof VerificationSent>;

/** Whether each of a group's addresses is verified: what the worker asks before mailing invitations. */
export const AddressStatuses = Type.Object({
  users: Type.Array(Type.Object({ email: Email, email_verified: Type.Boolean() })),
  missing: Type.Array(Type.String()),
});
export type AddressStatuses = Static<typeof AddressStatuses>;

/**
 * Body of the worker's `POST /verification-mails` (not routed by the gateway; only the users service may
 * call it, with a token of role `service`): mail `code` to `email` through the worker's outbox.
 */
export const VerificationMail = Type.Object(
  {
    email: Email,
    code: Type.String({ pattern: "^[0-9]{6}$" }),
    expires_at: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);
export type VerificationMail = Static<typeof VerificationMail>;

/** Headers of the worker's `POST /verification-mails`: the `Idempotency-Key` is required, so a retried call never mails twice. */
export const VerificationMailHeaders = Type.Object({ "idempotency-key": IdempotencyKey });

/** Where a verification mail is: queued → sending → sent, expired (not sent: its code expired first) or failed. */
const VerificationMailStatus = Type.Union([
  Type.Literal("queued"),
  Type.Literal("sending"),
  Type.Literal("sent"),
  Type.Literal("expired"),
  Type.Literal("failed"),
]);

/** Answer of the worker's `POST /verification-mails` (202): the mail is stored and on its way. */
export const VerificationMailAccepted = Type.Object({
  mail_id: Type.String({ format: "uuid" }),
  status: VerificationMailStatus,
});
export type VerificationMailAccepted = Static<typeof VerificationMailAccepted>;

/**
 * The body of a verification mail message on RabbitMQ (`message_id` = mail id, `case-id` header).
 * Checked with `Value.Check` by the consumer, so the id is a pattern rather than a format.
 */
export const VerificationMailMessage = Type.Object({
  mail_id: Type.String({ pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" }),
});
export type VerificationMailMessage = Static<typeof VerificationMailMessage>;

/** The users service's public keys, as JSON Web Keys (RFC 7517). */
export const Jwks = Type.Object({
  keys: Type.Array(
    Type.Object({ kty: Type.String(), kid: Type.String(), alg: Type.String(), use: Type.String(), crv: Type.String(), x: Type.String() }),
  ),
});
