import { Type, type Static } from "@sinclair/typebox";
import {
  DatedSuggestion,
  DEFAULT_DURATION_MINUTES,
  DURATION_STEP_MINUTES,
  MAX_DURATION_MINUTES,
  MIN_DURATION_MINUTES,
} from "./suggestions.ts";
import { MAX_WINDOW_DAYS, TimeZone } from "./time.ts";
import { MAX_GROUP, MIN_GROUP } from "./group.ts";
import { Email } from "./users.ts";
import { DisplayText } from "./text.ts";
import { Preference } from "./week.ts";

/**
 * Where a task is in its life: queued → running → done | no_slot | failed (running may go back to queued to
 * retry); a booking then follows its attendees' changes: done | rebooked → rebooked | cancelled.
 */
export const TaskStatus = Type.Union(
  [
    Type.Literal("queued"),
    Type.Literal("running"),
    Type.Literal("done"),
    Type.Literal("no_slot"),
    Type.Literal("failed"),
    Type.Literal("rebooked"),
    Type.Literal("cancelled"),
  ],
  {
    description:
      "queued → running → done, no_slot (nothing fits) or failed (after the last attempt); once booked, an attendee's change " +
      "that the booked time no longer fits moves it (rebooked) or, with no other time in its window, cancels it (cancelled)",
  },
);
export type TaskStatus = Static<typeof TaskStatus>;

/** The length of a meeting in minutes, as the suggestions route takes it. */
const MeetingMinutes = Type.Integer({
  minimum: MIN_DURATION_MINUTES,
  maximum: MAX_DURATION_MINUTES,
  multipleOf: DURATION_STEP_MINUTES,
  description: `Minutes, a multiple of ${DURATION_STEP_MINUTES} from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}; ${DEFAULT_DURATION_MINUTES} when absent`,
  examples: [60, 120],
});

/** Body of `POST /tasks`: the group (`users`, or the seed system's `userId1`/`userId2`) and how to place the meeting. */
export const CreateTask = Type.Object(
  {
    users: Type.Optional(
      Type.Array(Email, { maxItems: 1000, description: "Attendees; repeats are ignored and 2 to 100 distinct must remain" }),
    ),
    userId1: Type.Optional(Email),
    userId2: Type.Optional(Email),
    preference: Type.Optional(Preference),
    duration: Type.Optional(MeetingMinutes),
    title: Type.Optional(DisplayText({ minLength: 1, maxLength: 200, description: "Summary of the invitation" })),
    notify: Type.Optional(Type.Boolean({ description: "Mail every attendee the invitation; false when absent" })),
    from: Type.Optional(
      Type.String({
        maxLength: 40,
        description: "Book no earlier than this date (midnight in `tz`) or ISO 8601 instant; when the task is made if absent",
      }),
    ),
    days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_WINDOW_DAYS, description: "Days in `tz` to look in, counting the first; 7 when absent" }),
    ),
    at: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          "Book exactly the meeting starting then, if it fits the task's rules (else the task ends no_slot): an ISO 8601 " +
          "instant, or a local date-time in `tz`, on the quarter hour; not with `from` or `days`",
        examples: ["2026-11-23T09:00:00Z"],
      }),
    ),
    tz: Type.Optional(
      Type.Unsafe<string>({ ...TimeZone, description: "Zone of `from`, `days`, a local `at` and the mail's wording; UTC when absent" }),
    ),
    required: Type.Optional(
      Type.Array(Email, {
        maxItems: MAX_GROUP,
        description: "People who must all attend; they join the group if not in `users` (2 to 100 distinct people in all)",
      }),
    ),
    min_attendees: Type.Optional(
      Type.Integer({
        minimum: MIN_GROUP,
        maximum: MAX_GROUP,
        description: "Fewest people (required ones included) who must be free, at most the group's size; everyone when absent",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ users: ["ada@example.com", "grace@example.com"], duration: 60, title: "Design review", notify: true }],
  },
);
export type CreateTask = Static<typeof CreateTask>;

/** An `Idempotency-Key` header: a retried request with the same key answers what the first one made. */
export const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: "^[\\x21-\\x7E]+$",
  description: "1–255 visible ASCII characters",
});

/** Headers of `POST /tasks`: an `Idempotency-Key` makes a retried request return the task it made first. */
export const CreateTaskHeaders = Type.Object({ "idempotency-key": Type.Optional(IdempotencyKey) });

/** Answer of `POST /tasks` (202). */
export const TaskAccepted = Type.Object({
  task_id: Type.String({ format: "uuid" }),
  status: TaskStatus,
  status_url: Type.String({ description: "Where to follow the task: GET it until it is no longer queued or running" }),
});
export type TaskAccepted = Static<typeof TaskAccepted>;

/** Answer of `GET /tasks/{task_id}`. */
export const Task = Type.Object({
  task_id: Type.String({ format: "uuid" }),
  status: TaskStatus,
  attempts: Type.Integer({ minimum: 0, description: "Processing attempts started so far" }),
  users: Type.Array(Type.String()),
  duration: MeetingMinutes,
  title: Type.String(),
  notify: Type.Boolean(),
  organizer: Type.Union([Email, Type.Null()], {
    description: "Who asked for the task (the token's email); null for a task without a token",
  }),
  required: Type.Optional(Type.Array(Type.String(), { description: "Who must attend, when the task named them" })),
  min_attendees: Type.Optional(Type.Integer({ description: "Fewest attendees, when the task named it" })),
  at: Type.Optional(
    Type.String({ format: "date-time", description: "The one start the task books (the request's `at`, in UTC), when it named one" }),
  ),
  sequence: Type.Integer({
    minimum: 0,
    description: "The invitation's SEQUENCE: 0 when first booked, one more for each update or cancellation since",
  }),
  change: Type.Optional(
    Type.Object(
      {
        reason: Type.String({ examples: ["ada@example.com is no longer free at the booked time"] }),
        at: Type.String({ format: "date-time" }),
      },
      { description: "Why and when the booking last moved or was cancelled (rebooked, cancelled)" },
    ),
  ),
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
  result: Type.Optional(
    Type.Object(
      {
        suggestion: DatedSuggestion,
        invite_url: Type.String({ description: "The current .ics invitation (METHOD:CANCEL once cancelled)" }),
        not_notified: Type.Optional(
          Type.Array(Type.String(), { description: "With notify: the attendees not mailed, as their address is not verified" }),
        ),
      },
      {
        description:
          "Present once booked: done or rebooked (the current booking), or cancelled (the booking that was called off, " +
          "and its cancellation at invite_url)",
      },
    ),
  ),
  error: Type.Optional(Type.String({ description: "Why the last attempt failed (final when failed)" })),
});
export type Task = Static<typeof Task>;

export const TaskParams = Type.Object({ task_id: Type.String({ format: "uuid", description: "The task_id of POST /tasks" }) });

/**
 * The body of a task message on RabbitMQ (`message_id` = task id, `case-id` header). Checked with
 * `Value.Check` by the consumer, so the id is a pattern rather than a format (formats need a registry).
 */
export const TaskMessage = Type.Object({
  task_id: Type.String({ pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" }),
});
export type TaskMessage = Static<typeof TaskMessage>;
