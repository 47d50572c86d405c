// Booking the picked suggestion: the task's progress, then its invitation and who was mailed.
import { api, storedToken, wordsOf } from "./api.ts";
import type { Suggestion } from "./suggestions.ts";

type Task = {
  task_id: string;
  status: string;
  error?: string;
  notify: boolean;
  users: string[];
  result?: { suggestion: Suggestion; not_notified?: string[] };
};

const POLL_MS = 500;
const GIVE_UP_MS = 60_000;
const FINISHED = new Set(["done", "no_slot", "failed", "rebooked", "cancelled"]);

const line = (text: string) => {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
};

/** Books `suggestion` for the group with `rules`; shows progress and the outcome in `status`. */
export async function book(
  request: { users: string[]; duration: number; title: string; tz: string; required: string[]; min_attendees?: number; notify: boolean },
  suggestion: Suggestion,
  status: HTMLElement,
) {
  status.replaceChildren(line("Booking…"));
  const signedIn = storedToken() !== undefined;
  try {
    const accepted = await api<{ task_id: string }>(
      "POST",
      "/tasks",
      {
        users: request.users,
        duration: request.duration,
        title: request.title,
        tz: request.tz,
        at: suggestion.start,
        ...(request.required.length ? { required: request.required } : {}),
        ...(request.min_attendees ? { min_attendees: request.min_attendees } : {}),
        notify: request.notify && signedIn,
      },
      { "idempotency-key": crypto.randomUUID() },
    );
    const deadline = Date.now() + GIVE_UP_MS;
    let task = await api<Task>("GET", `/tasks/${accepted.task_id}`);
    while (!FINISHED.has(task.status) && Date.now() < deadline) {
      status.replaceChildren(line(task.status === "queued" ? "Waiting in line…" : "Booking: checking everyone is still free…"));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      task = await api<Task>("GET", `/tasks/${accepted.task_id}`);
    }
    status.replaceChildren(...outcome(task));
  } catch (error) {
    status.replaceChildren(line(`Not booked — ${wordsOf(error)}`));
  }
}

function outcome(task: Task): HTMLElement[] {
  if (task.status === "no_slot") return [line("That time no longer fits everyone: pick another suggestion.")];
  if (task.status === "failed") return [line(`Not booked — ${task.error ?? "the booking failed"}.`)];
  if (!task.result) return [line("Still booking: check again in a moment.")];
  const link = document.createElement("a");
  link.href = `/api/tasks/${task.task_id}/invite.ics`;
  link.download = "invitation.ics";
  link.textContent = "Download the invitation (.ics)";
  const parts = [line(`Booked: ${task.result.suggestion.start.replace("T", " ").slice(0, 16)}.`), link];
  if (task.notify) {
    const missed = task.result.not_notified ?? [];
    const mailed = task.users.filter((email) => !missed.includes(email));
    parts.push(line(`Mailed: ${mailed.join(", ") || "nobody"}.`));
    if (missed.length) parts.push(line(`Not mailed (address not verified): ${missed.join(", ")}.`));
  }
  return parts;
}
