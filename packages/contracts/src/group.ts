import { Type, type Static } from "@sinclair/typebox";

/** The most people one group request may name. */
export const MAX_GROUP = 100;
/** The fewest distinct people a group request must name. */
export const MIN_GROUP = 2;

/** Query naming a group: `users=a@x,b@y` or the seed system's `userId1` and `userId2`. */
export const GroupQuery = Type.Object({
  users: Type.Optional(
    Type.String({
      description: `Comma-separated emails; repeats ignored; ${MIN_GROUP} to ${MAX_GROUP} distinct`,
      examples: ["ada@example.com,grace@example.com"],
    }),
  ),
  userId1: Type.Optional(Type.String({ description: "Seed-system form: first email (with userId2)" })),
  userId2: Type.Optional(Type.String({ description: "Seed-system form: second email (with userId1)" })),
});
export type GroupQuery = Static<typeof GroupQuery>;
