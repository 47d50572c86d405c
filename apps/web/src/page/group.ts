// Your group: a shareable link naming the group, its heatmap in the viewer's zone, the ranked
// suggestions for the rules chosen, why nothing fits when nothing does, and booking one.
import { api, storedToken, todayIn, wordsOf } from "./api.ts";
import { book } from "./booking.ts";
import { type Heatmap, heatmapGrid } from "./heatmap.ts";
import { type Explanation, explanationView, type Suggestion, suggestionChoice } from "./suggestions.ts";
import { detectedZone, fillZones } from "./zones.ts";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const groupForm = $<HTMLFormElement>("#group-form");
const usersInput = groupForm.elements.namedItem("users") as HTMLInputElement;
const zoneSelect = groupForm.elements.namedItem("zone") as HTMLSelectElement;
const rules = $<HTMLFormElement>("#rules");
const durationInput = rules.elements.namedItem("duration") as HTMLInputElement;
const minInput = rules.elements.namedItem("min_attendees") as HTMLInputElement;
const bookingForm = $<HTMLFormElement>("#booking");
const notify = bookingForm.elements.namedItem("notify") as HTMLInputElement;
const message = $("#group-message");

let users: string[] = [];
let picked: Suggestion | undefined;
/** Query parameters a relaxation set beyond the controls (without, assume, if_needed, days). */
let extras: Record<string, string> = {};

const WINDOW_DAYS = 7;
const required = () => [...document.querySelectorAll<HTMLInputElement>("#required input:checked")].map((box) => box.value);
const firstDate = () => todayIn(zoneSelect.value);

function ruleQuery() {
  const query = new URLSearchParams({ users: users.join(","), tz: zoneSelect.value, from: firstDate(), days: String(WINDOW_DAYS) });
  query.set("duration", durationInput.value || "60");
  if (required().length) query.set("required", required().join(","));
  if (minInput.value) query.set("min_attendees", minInput.value);
  for (const [name, value] of Object.entries(extras)) query.set(name, value);
  return query;
}

async function showHeatmap() {
  const step = $<HTMLInputElement>("#quarters").checked ? 15 : 60;
  const query = new URLSearchParams({ users: users.join(","), tz: zoneSelect.value, from: firstDate(), days: String(WINDOW_DAYS) });
  query.set("step", String(step));
  const map = await api<Heatmap>("GET", `/availability/heatmap?${query}`);
  $("#heatmap").replaceChildren(heatmapGrid(map, step, $("#who")));
  $("#legend").textContent = `Darker means more of the ${map.users.length} are free (times in ${zoneSelect.value}).`;
}

async function showSuggestions() {
  const holder = $("#suggestions");
  const query = ruleQuery();
  query.set("limit", "5");
  query.set("preference", "first");
  $("#applied").textContent = Object.keys(extras).length
    ? `Also trying: ${Object.entries(extras)
        .map(([name, value]) => `${name} = ${value}`)
        .join("; ")}`
    : "";
  picked = undefined;
  bookingForm.hidden = true;
  holder.replaceChildren("Looking for times…");
  try {
    const { suggestions } = await api<{ suggestions: Suggestion[] }>("GET", `/suggestions?${query}`);
    if (suggestions.length) {
      holder.replaceChildren(
        suggestionChoice(suggestions, (suggestion) => {
          picked = suggestion;
          bookingForm.hidden = false;
        }),
      );
      return;
    }
    const explanation = await api<Explanation>("GET", `/suggestions/explain?${ruleQuery()}`);
    holder.replaceChildren(explanationView(explanation, applyRelaxation));
  } catch (error) {
    holder.replaceChildren(wordsOf(error));
  }
}

function applyRelaxation(apply: Record<string, string>) {
  for (const [name, value] of Object.entries(apply)) {
    if (name === "duration") durationInput.value = value;
    else if (name === "min_attendees") minInput.value = value;
    else extras[name] = value;
  }
  void showSuggestions();
}

function showRequired() {
  const boxes = users.map((email) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = email;
    label.append(box, ` ${email}`);
    return label;
  });
  $("#required").replaceChildren(...boxes);
  minInput.max = String(users.length);
}

async function showGroup() {
  message.textContent = "";
  users = [
    ...new Set(
      usersInput.value
        .split(/[\s,;]+/)
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const url = new URL(location.href);
  url.search = `?users=${users.join(",")}`;
  history.replaceState(null, "", url);
  $<HTMLAnchorElement>("#share").href = url.href;
  $("#share").textContent = url.href;
  if (users.length < 2) {
    message.textContent = "Name at least two people, separated by commas.";
    return;
  }
  extras = {};
  showRequired();
  $("#group").hidden = false;
  await Promise.all([showHeatmap(), showSuggestions()]);
}

const report = (error: unknown) => {
  message.textContent = wordsOf(error);
};
groupForm.addEventListener("submit", (event) => {
  event.preventDefault();
  showGroup().catch(report);
});
zoneSelect.addEventListener("change", () => users.length > 1 && showGroup().catch(report));
$("#quarters").addEventListener("change", () => showHeatmap().catch(report));
rules.addEventListener("change", () => void showSuggestions());
rules.addEventListener("submit", (event) => {
  event.preventDefault();
  void showSuggestions();
});
bookingForm.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!picked) return;
  const title = (bookingForm.elements.namedItem("title") as HTMLInputElement).value;
  const min = Number(minInput.value) || undefined;
  const request = {
    users,
    duration: Number(durationInput.value),
    title,
    tz: zoneSelect.value,
    required: required(),
    min_attendees: min,
    notify: notify.checked,
  };
  void book(request, picked, $("#booking-status"));
});

notify.disabled = storedToken() === undefined;
fillZones(zoneSelect, detectedZone());
const named = new URLSearchParams(location.search).get("users");
if (named) {
  usersInput.value = named;
  showGroup().catch(report);
}
