// The ranked suggestions for the group's rules and, when none fits, why and what would open a slot.
import { shortDate } from "./heatmap.ts";

/** A suggested meeting at real instants (GET /suggestions with `from`). */
export type Suggestion = {
  date: string;
  day: string;
  start: string;
  end: string;
  slot: [number, number];
  attendees: string[];
  missing: string[];
  if_needed?: string[];
};

type Place = { date?: string; day: string; slot: [number, number] };
type Relaxation = { slots: number; first: Place; apply: Record<string, string> } & Record<string, unknown>;
/** The answer of GET /suggestions/explain. */
export type Explanation = {
  feasible: boolean;
  blockers: { email: string; slots: number }[];
  relaxations: Record<string, Relaxation[]>;
};

const hours = (hour: number) => `${String(Math.floor(hour)).padStart(2, "0")}:${String(Math.round((hour % 1) * 60)).padStart(2, "0")}`;
const placeWords = (place: Place) => `${place.date ? shortDate(place.date) : place.day} ${hours(place.slot[0])}–${hours(place.slot[1])}`;

/** A suggestion in words, in the zone it was asked in. */
const suggestionWords = (s: Suggestion) => {
  const who = `${s.attendees.length} of ${s.attendees.length + s.missing.length} can come`;
  const missing = s.missing.length ? `; missing ${s.missing.join(", ")}` : "";
  const maybe = s.if_needed?.length ? `; if needed for ${s.if_needed.join(", ")}` : "";
  return `${placeWords(s)} · ${who}${missing}${maybe}`;
};

/** The suggestions as a choice of one (radio buttons); `onPick` hears the chosen one. */
export function suggestionChoice(suggestions: Suggestion[], onPick: (s: Suggestion) => void): HTMLElement {
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = "Pick a time";
  const list = document.createElement("ul");
  list.className = "suggestions";
  suggestions.forEach((suggestion, index) => {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "suggestion";
    radio.value = suggestion.start;
    radio.addEventListener("change", () => onPick(suggestion));
    if (index === 0) radio.checked = true;
    label.append(radio, ` ${suggestionWords(suggestion)}`);
    item.append(label);
    list.append(item);
  });
  fieldset.append(legend, list);
  if (suggestions[0]) onPick(suggestions[0]);
  return fieldset;
}

const RELAXATION_WORDS: Record<string, (r: Relaxation) => string> = {
  shorter: (r) => `Make it ${r.duration} minutes`,
  fewer_attendees: (r) => `Accept ${r.min_attendees} attendees (${(r.missing as string[]).join(", ")} would miss some)`,
  drop_optional: (r) => `Leave out ${r.email}`,
  if_needed: (r) => `Count ${r.email}'s if-needed hours`,
  free_block: (r) => `If ${r.email} freed ${placeWords(r.block as Place)} (${r.minutes} minutes)`,
  wider_window: (r) => `Look ${r.days} days ahead`,
};

/** Why nothing fits, in words, and each change that would open a slot as a button applying it. */
export function explanationView(explanation: Explanation, onApply: (apply: Record<string, string>) => void): HTMLElement {
  const box = document.createElement("div");
  box.className = "explanation";
  const heading = document.createElement("h3");
  heading.textContent = "No time fits everyone";
  box.append(heading);
  if (explanation.blockers.length) {
    const blockers = document.createElement("p");
    blockers.textContent = `In the way: ${explanation.blockers.map((b) => `${b.email} (alone blocks ${b.slots} time${b.slots === 1 ? "" : "s"})`).join(", ")}.`;
    box.append(blockers);
  }
  const list = document.createElement("ul");
  list.className = "relaxations";
  for (const [kind, relaxations] of Object.entries(explanation.relaxations)) {
    for (const relaxation of relaxations) {
      const button = document.createElement("button");
      button.type = "button";
      const words = RELAXATION_WORDS[kind]?.(relaxation) ?? kind;
      button.textContent = `${words} — opens ${relaxation.slots} time${relaxation.slots === 1 ? "" : "s"}, first ${placeWords(relaxation.first)}`;
      button.addEventListener("click", () => onApply(relaxation.apply));
      const item = document.createElement("li");
      item.append(button);
      list.append(item);
    }
  }
  const intro = document.createElement("p");
  intro.textContent = list.children.length ? "Any one of these changes would open a time:" : "No small change opens a time in this window.";
  box.append(intro, list);
  return box;
}
