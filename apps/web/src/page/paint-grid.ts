// Painting free time on a grid: drag with a mouse or finger, or arrow keys, Space and Shift+arrows.
import { type CellPlace, clock, GridView } from "./grid-view.ts";
import { FREE, IF_NEEDED, type Mark, NONE, QUARTERS } from "./week-model.ts";

const WORDS: Record<Mark, string> = { [NONE]: "not free", [FREE]: "free", [IF_NEEDED]: "if needed" };

export type PaintGridOptions = {
  label: string;
  columns: string[];
  /** The painted quarters, one array of 96 per column; changed in place. */
  days: Uint8Array[];
  stepMinutes: 15 | 60;
  paint: () => Mark;
  onChange: () => void;
};

/** A grid whose cells are painted with the current paint; rows are hours or quarter hours. */
export function paintGrid(options: PaintGridOptions): HTMLElement {
  const { days, stepMinutes } = options;
  const span = stepMinutes / 15;
  const rows = Array.from({ length: QUARTERS / span }, (_, row) => clock(row * stepMinutes));
  const view = new GridView({
    label: options.label,
    columns: options.columns,
    rows,
    onMove: (to, from, extend) => {
      if (!extend) return;
      apply(from, options.paint());
      apply(to, options.paint());
      options.onChange();
    },
    onActivate: (at) => {
      apply(at, markOf(at) === options.paint() ? NONE : options.paint());
      options.onChange();
    },
  });

  // A cell shows the mark of its first quarter; painting it marks every quarter it spans.
  const markOf = ({ column, row }: CellPlace) => days[column]![row * span]! as Mark;
  const show = (at: CellPlace) => {
    const mark = markOf(at);
    const cell = view.cell(at);
    cell.dataset.mark = String(mark);
    cell.setAttribute("aria-selected", String(mark !== NONE));
    cell.setAttribute("aria-label", `${options.columns[at.column]} ${rows[at.row]}, ${WORDS[mark]}`);
  };
  const apply = (at: CellPlace, mark: Mark) => {
    days[at.column]!.fill(mark, at.row * span, (at.row + 1) * span);
    show(at);
  };
  view.cells.forEach((cells, column) => {
    cells.forEach((_, row) => {
      show({ column, row });
    });
  });

  // A drag paints the rectangle from where it started to where the pointer is, over what was there before.
  let drag: { start: CellPlace; mark: Mark; before: Uint8Array[] } | undefined;
  const grid = view.element;
  grid.addEventListener("pointerdown", (event) => {
    const start = view.placeOf(event.target);
    if (!start || event.button > 0) return;
    event.preventDefault();
    grid.setPointerCapture(event.pointerId);
    drag = { start, mark: markOf(start) === options.paint() ? NONE : options.paint(), before: days.map((day) => day.slice()) };
    view.focus(start);
    paintTo(start);
  });
  grid.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const at = view.placeOf(document.elementFromPoint(event.clientX, event.clientY));
    if (at) paintTo(at);
  });
  const end = () => {
    if (!drag) return;
    drag = undefined;
    options.onChange();
  };
  grid.addEventListener("pointerup", end);
  grid.addEventListener("pointercancel", end);

  function paintTo(at: CellPlace) {
    const { start, mark, before } = drag!;
    before.forEach((day, column) => {
      days[column]!.set(day);
    });
    const [left, right] = [Math.min(start.column, at.column), Math.max(start.column, at.column)];
    const [top, bottom] = [Math.min(start.row, at.row), Math.max(start.row, at.row)];
    for (let column = 0; column < days.length; column++) {
      for (let row = 0; row < rows.length; row++) {
        if (column >= left && column <= right && row >= top && row <= bottom) days[column]!.fill(mark, row * span, (row + 1) * span);
        show({ column, row });
      }
    }
  }
  return grid;
}
