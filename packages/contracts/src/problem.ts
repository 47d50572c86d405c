import { Type, type Static } from "@sinclair/typebox";

/** One offending input field of a 400 answer. */
export const FieldError = Type.Object({
  path: Type.String({ description: "The field, e.g. `availabilities.monday[2]` or `limit`" }),
  message: Type.String(),
});
export type FieldError = Static<typeof FieldError>;

/** RFC 9457 problem details, the body of every error answer. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: "A URN naming the kind of problem" }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    case_id: Type.String(),
    errors: Type.Optional(Type.Array(FieldError)),
    missing: Type.Optional(Type.Array(Type.String(), { description: "Unknown users, on a 404 for a group" })),
  },
  { description: "RFC 9457 problem details (application/problem+json)" },
);
export type Problem = Static<typeof Problem>;
