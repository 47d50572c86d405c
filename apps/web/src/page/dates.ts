// Dated exceptions: a strip of the next 14 dates; a chosen date gets its own hours, painted on a one-day grid.
import { api, todayIn, wordsOf } from "./api.ts";
import { paintGrid } from "./paint-grid.ts";
import { type DaySlots, FREE, IF_NEEDED, type Mark, markSlots, QUARTERS, slotsOf } from "./week-model.ts";

type DateException = { date: string; available: DaySlots; if_needed: DaySlots };

const STRIP_DAYS = 14;
const strip = document.querySelector<HTMLElement>("#dates")!;
const editor = document.querySelector<HTMLElement>("#date-editor")!;
const status = document.querySelector<HTMLElement>("#date-status")!;
const reset = document.querySelector<HTMLButtonElement>("#date-reset")!;
const holder = document.querySelector<HTMLElement>("#date-grid")!;

const weekdayIndex = (date: string) => (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
const dateLabel = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

/** Shows the strip of dates for `email`, marking those with their own hours; choosing one edits it. */
export async function showDates(email: string, zone: () => string, week: Uint8Array[], paint: () => Mark) {
  const path = `/users/${encodeURIComponent(email)}/dates`;
  const dates = Array.from({ length: STRIP_DAYS }, (_, index) => todayIn(zone(), index));
  const exceptions = new Map<string, DateException>();
  try {
    const listed = await api<{ dates: DateException[] }>("GET", `${path}?from=${dates[0]}&to=${dates.at(-1)}`);
    for (const exception of listed.dates) exceptions.set(exception.date, exception);
  } catch (error) {
    status.textContent = wordsOf(error);
  }
  const buttons = dates.map((date) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = dateLabel(date);
    button.setAttribute("aria-pressed", "false");
    button.classList.toggle("own", exceptions.has(date));
    button.addEventListener("click", () => {
      for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
      edit(date);
    });
    return button;
  });
  strip.replaceChildren(...buttons);

  function edit(date: string) {
    const exception = exceptions.get(date);
    const day = exception ? new Uint8Array(QUARTERS) : week[weekdayIndex(date)]!.slice();
    if (exception) {
      markSlots(day, exception.if_needed, IF_NEEDED);
      markSlots(day, exception.available, FREE);
    }
    status.textContent = exception ? "This date has its own hours." : "This date follows your weekly hours.";
    let saving = Promise.resolve();
    const save = () => {
      const body = { available: slotsOf(day, FREE), if_needed: slotsOf(day, IF_NEEDED) };
      status.textContent = "Saving…";
      saving = saving
        .then(() => api("PUT", `${path}/${date}`, body))
        .then(() => {
          exceptions.set(date, { date, ...body });
          buttons[dates.indexOf(date)]!.classList.add("own");
          status.textContent = "Saved: this date has its own hours.";
        })
        .catch((error) => {
          status.textContent = `Not saved — ${wordsOf(error)}. Paint again to retry.`;
        });
    };
    reset.onclick = () => {
      api("DELETE", `${path}/${date}`)
        .then(() => {
          exceptions.delete(date);
          buttons[dates.indexOf(date)]!.classList.remove("own");
          edit(date);
          status.textContent = "This date follows your weekly hours again.";
        })
        .catch((error) => {
          status.textContent = wordsOf(error);
        });
    };
    holder.replaceChildren(
      paintGrid({
        label: `Your free time on ${dateLabel(date)}`,
        columns: [dateLabel(date)],
        days: [day],
        stepMinutes: 60,
        paint,
        onChange: save,
      }),
    );
    editor.hidden = false;
  }
}
