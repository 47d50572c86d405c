import { CreateTask, CreateTaskHeaders, Problem, Task, TaskAccepted, TaskParams } from "@w2meet/contracts";
import { caseIdOf, NEEDS_TOKEN, notFound, principalOf, requirePrincipal } from "@w2meet/kit";
import { publicBase } from "@w2meet/kit/public-url";
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import * as tasks from "./service.ts";

const tags = ["tasks"];
const unknownTask = (taskId: string) => notFound(`No task with id ${taskId}`);

/** The task routes: accept scheduling work, follow it, and read the invitation it made. */
export const tasksRoutes = (deps: tasks.TasksDeps & { publicUrl: string }) =>
  new Elysia({ name: "tasks.routes", prefix: "/tasks" })
    .post(
      "/",
      async ({ body, headers, set, request }) => {
        // Mailing people is done on someone's behalf: only with a token, whose email is the organizer.
        const organizer = body.notify ? requirePrincipal(request, "A task with notify").email : principalOf(request)?.email;
        const accepted = await tasks.createTask(deps, body, {
          organizer: organizer ?? null,
          caseId: caseIdOf(set),
          idempotencyKey: headers["idempotency-key"],
          apiBase: publicBase(request, deps.publicUrl),
        });
        set.status = 202;
        set.headers.location = accepted.status_url;
        return accepted;
      },
      {
        body: CreateTask,
        headers: CreateTaskHeaders,
        response: { 202: TaskAccepted, 400: Problem, 401: Problem, 409: Problem, 503: Problem },
        detail: {
          tags,
          summary: "Schedule a meeting in the background",
          description:
            "Answers 202 once the task is stored; the worker then books the first slot that fits from `from` (when the " +
            "task is made if absent) over `days` in `tz`, makes the invitation (DTSTART/DTEND in UTC) and, with " +
            "`notify`, mails it to every attendee whose address is verified (the others are listed in the result's " +
            "`not_notified`). A bearer token is needed when `notify` is true (401 without one); when given, its email " +
            "is the task's `organizer`. The same `Idempotency-Key` again answers the same task; with a different " +
            "request (or another organizer) it is a 409.",
          security: NEEDS_TOKEN,
        },
      },
    )
    .get(
      "/:task_id",
      async ({ params, request }) => {
        const task = await tasks.findTask(deps, params.task_id, publicBase(request, deps.publicUrl));
        if (!task) throw unknownTask(params.task_id);
        return task;
      },
      {
        params: TaskParams,
        response: { 200: Task, 400: Problem, 404: Problem, 503: Problem },
        detail: {
          tags,
          summary: "Follow a task: status, attempts, and the booking and invitation once done",
          description:
            "Once booked, the task follows its attendees' changes: `rebooked` with the new booking, or `cancelled`, with " +
            "`change` saying why and `sequence` counting the invitations sent since the first.",
        },
      },
    )
    .get(
      "/:task_id/invite.ics",
      async ({ params }) => {
        const invite = await tasks.findInvite(deps, params.task_id);
        if (!invite) throw unknownTask(params.task_id);
        if (invite.ics === null) throw notFound(`Task ${params.task_id} has no invitation (status ${invite.status})`);
        return new Response(invite.ics, {
          headers: {
            "content-type": `text/calendar; charset=utf-8; method=${invite.status === "cancelled" ? "CANCEL" : "REQUEST"}`,
            "content-disposition": `attachment; filename="w2meet-${params.task_id}.ics"`,
          },
        });
      },
      {
        params: TaskParams,
        response: {
          200: Type.String({ description: "RFC 5545 invitation", contentMediaType: "text/calendar" }),
          400: Problem,
          404: Problem,
          503: Problem,
        },
        detail: {
          tags,
          summary: "The current iCalendar invitation of a booked task",
          description:
            "The invitation as last sent: the first one once done, an update (same UID, higher SEQUENCE) once rebooked, the " +
            "cancellation (METHOD:CANCEL) once cancelled. 404 until the task is booked (and for no_slot and failed tasks, which have none).",
        },
      },
    );
