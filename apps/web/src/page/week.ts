// Your week: who you are, your time zone, and your free hours painted on a 7-day grid, saved as you go.
import { ApiError, api, storedToken, storeToken, wordsOf } from "./api.ts";
import { showDates } from "./dates.ts";
import { paintGrid } from "./paint-grid.ts";
import { createSaver } from "./saver.ts";
import { apiWeekOf, DAY_NAMES, type DaySlots, type Mark, weekOf } from "./week-model.ts";
import { detectedZone, fillZones } from "./zones.ts";

type User = {
  email: string;
  name: string;
  availabilities: Record<string, DaySlots>;
  if_needed: Record<string, DaySlots>;
  time_zone: string;
  preference: string;
  protected: boolean;
};

const ME_KEY = "w2meet.me";
const form = document.querySelector<HTMLFormElement>("#profile")!;
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
const zoneSelect = form.elements.namedItem("zone") as HTMLSelectElement;
const message = document.querySelector<HTMLElement>("#profile-message")!;
const painter = document.querySelector<HTMLElement>("#painter")!;
const quarters = document.querySelector<HTMLInputElement>("#quarters")!;
const gridHolder = document.querySelector<HTMLElement>("#week-grid")!;

let user: User | undefined;
let week = weekOf({});
const paint = () => Number(document.querySelector<HTMLInputElement>("input[name=paint]:checked")!.value) as Mark;

const saver = createSaver(
  async () => {
    if (!user) return;
    await api("PUT", `/users/${encodeURIComponent(user.email)}`, {
      name: user.name,
      ...apiWeekOf(week),
      time_zone: zoneSelect.value,
      preference: user.preference,
    });
  },
  document.querySelector("#save-status")!,
  document.querySelector("#retry")!,
);

function drawWeek() {
  const grid = paintGrid({
    label: "Your weekly free time",
    columns: DAY_NAMES,
    days: week,
    stepMinutes: quarters.checked ? 15 : 60,
    paint,
    onChange: saver.changed,
  });
  gridHolder.replaceChildren(grid);
}

/** Signs in with the password, when given, keeping the token for this tab. */
async function signIn(email: string, password: string) {
  const answer = await api<{ access_token: string }>("POST", "/auth/token", { email, password });
  storeToken(email, answer.access_token);
}

async function open(email: string, name: string, password: string) {
  message.textContent = "";
  const path = `/users/${encodeURIComponent(email)}`;
  let found: User | undefined;
  try {
    found = await api<User>("GET", path);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  if (!found) {
    found = await api<User>("POST", "/users", {
      email,
      name,
      time_zone: zoneSelect.value,
      availabilities: {},
      ...(password ? { password } : {}),
    });
  } else {
    fillZones(zoneSelect, found.time_zone);
  }
  if (password) await signIn(email, password);
  else if (found.protected && storedToken()?.email !== found.email) {
    message.textContent = "This profile is protected: enter its password to change it.";
  }
  user = { ...found, name: name || found.name };
  field("name").value = user.name;
  week = weekOf(user.availabilities, user.if_needed);
  localStorage.setItem(ME_KEY, JSON.stringify({ email: user.email, name: user.name }));
  painter.hidden = false;
  drawWeek();
  await showDates(user.email, () => zoneSelect.value, week, paint);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const email = field("email").value.trim().toLowerCase();
  open(email, field("name").value.trim(), field("password").value).catch((error) => {
    message.textContent = wordsOf(error);
  });
  field("password").value = "";
});
quarters.addEventListener("change", drawWeek);
zoneSelect.addEventListener("change", () => {
  if (user) saver.changed();
});

fillZones(zoneSelect, detectedZone());
const remembered = localStorage.getItem(ME_KEY);
if (remembered) {
  const me = JSON.parse(remembered) as { email: string; name: string };
  field("email").value = me.email;
  field("name").value = me.name;
  open(me.email, me.name, "").catch((error) => {
    message.textContent = wordsOf(error);
  });
}
