// Saving as you go: changes are sent a moment after the last one; a failed save keeps what was painted,
// says so, and is retried (by the button, or by itself after a growing pause).
import { wordsOf } from "./api.ts";

export type Saver = { changed: () => void; flush: () => Promise<void> };

const DEBOUNCE_MS = 500;
const MAX_RETRY_MS = 30_000;

/** Calls `save` after changes; shows Saving… / Saved / Not saved — retry in `status` (an aria-live region). */
export function createSaver(save: () => Promise<void>, status: HTMLElement, retry: HTMLButtonElement): Saver {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;
  let retryMs = 1000;

  const show = (state: "saving" | "saved" | "failed", words: string) => {
    status.dataset.state = state;
    status.textContent = words;
    retry.hidden = state !== "failed";
  };

  async function run(): Promise<void> {
    clearTimeout(timer);
    if (running) {
      await running;
      if (!dirty) return;
    }
    dirty = false;
    show("saving", "Saving…");
    running = save().then(
      () => {
        retryMs = 1000;
        show("saved", "Saved");
      },
      (error) => {
        dirty = true;
        show("failed", `Not saved — ${wordsOf(error)}. Your changes are kept; retrying in ${Math.round(retryMs / 1000)} s.`);
        timer = setTimeout(() => void run(), retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      },
    );
    await running;
    running = undefined;
    if (dirty && status.dataset.state !== "failed") await run();
  }

  retry.addEventListener("click", () => void run());
  return {
    changed() {
      dirty = true;
      clearTimeout(timer);
      if (status.dataset.state !== "failed") show("saving", "Changes not yet saved…");
      timer = setTimeout(() => void run(), DEBOUNCE_MS);
    },
    flush: run,
  };
}
