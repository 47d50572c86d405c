// The group's heatmap in the viewer's zone: shade by how many are free; a focused or hovered cell says who is.
import { clock, GridView } from "./grid-view.ts";

/** The answer of GET /availability/heatmap with `from`: one heatmap per date, in the display zone. */
export type Heatmap = {
  users: string[];
  dates: { date: string; slots: number[]; free: string[][]; if_needed?: string[][] }[];
};

/** "Mon 24 Nov" for a calendar date. */
export const shortDate = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

/** The heatmap as a grid, a column per date, with `who` telling who can come. */
export function heatmapGrid(map: Heatmap, stepMinutes: number, who: HTMLElement): HTMLElement {
  const cellsPerDay = 1440 / stepMinutes;
  const rows = Array.from({ length: cellsPerDay }, (_, row) => clock(row * stepMinutes));
  const columns = map.dates.map(({ date }) => shortDate(date));
  const at = (column: number, row: number) => {
    const day = map.dates[column]!;
    const free = day.free[row] ?? [];
    const maybe = day.if_needed?.[row] ?? [];
    const away = map.users.filter((email) => !free.includes(email) && !maybe.includes(email));
    return { free, maybe, away };
  };
  const describe = (column: number, row: number) => {
    const { free, maybe, away } = at(column, row);
    const list = (title: string, emails: string[]) => {
      const part = document.createElement("p");
      part.textContent = `${title} (${emails.length}): ${emails.join(", ") || "nobody"}`;
      return part;
    };
    const heading = document.createElement("p");
    heading.className = "who-when";
    heading.textContent = `${columns[column]} ${rows[row]}`;
    who.replaceChildren(heading, list("Free", free), ...(maybe.length ? [list("If needed", maybe)] : []), list("Not free", away));
  };
  const view = new GridView({
    label: "Group availability: how many are free at each time",
    columns,
    rows,
    onMove: (to) => describe(to.column, to.row),
  });
  const total = Math.max(1, map.users.length);
  view.cells.forEach((cells, column) => {
    cells.forEach((cell, row) => {
      const { free, maybe } = at(column, row);
      cell.classList.add("heat");
      // Shade by the share free; if-needed people count for half, so they read lighter.
      cell.style.setProperty("--level", String((free.length + maybe.length / 2) / total));
      cell.dataset.free = String(free.length);
      cell.dataset.ifNeeded = String(maybe.length);
      cell.setAttribute(
        "aria-label",
        `${columns[column]} ${rows[row]}: ${free.length} of ${map.users.length} free${maybe.length ? `, ${maybe.length} if needed` : ""}`,
      );
      cell.addEventListener("pointerenter", () => describe(column, row));
    });
  });
  return view.element;
}
