import type { DatedSuggestion, TaskStatus } from "@w2meet/contracts";
import { DEFAULT_TIME_ZONE } from "@w2meet/contracts";
import { meetingTime } from "./ics.ts";
import type { InviteMethod } from "./mail.ts";

/** What a task's mail is written from: its state as stored, so that a mail owed after a crash reads the same. */
export type NoticeFacts = {
  title: string;
  users: readonly string[];
  time_zone: string | null;
  status: TaskStatus;
  /** The booking: the current one, or the one called off. */
  suggestion: DatedSuggestion;
  change_reason: string | null;
};

/**
 * The subject, text and iTIP method of the mail that carries a task's current invitation: the first
 * booking, an update ("updated: now on …") or a cancellation ("cancelled: …").
 */
export function invitationMail(task: NoticeFacts): { subject: string; text: string; method: InviteMethod } {
  const when = meetingTime(task.suggestion, task.time_zone ?? DEFAULT_TIME_ZONE);
  const why = task.change_reason ?? "an attendee's availability changed";
  if (task.status === "cancelled") {
    return {
      subject: `Cancelled: ${task.title}`,
      text: `"${task.title}" on ${when} is cancelled: ${why}.\nThe cancellation is attached.`,
      method: "CANCEL",
    };
  }
  if (task.status === "rebooked") {
    return {
      subject: `Updated: ${task.title}`,
      text: `"${task.title}" is updated: now on ${when}, with ${task.users.join(", ")}.\nWhy: ${why}.\nThe updated invitation is attached.`,
      method: "REQUEST",
    };
  }
  return {
    subject: task.title,
    text: `You are invited to "${task.title}" on ${when}, with ${task.users.join(", ")}.\nThe invitation is attached.`,
    method: "REQUEST",
  };
}
