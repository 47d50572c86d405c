// A grid of cells, columns by rows, that is one tab stop: arrow keys move the focus inside it (roving
// tabindex), as the ARIA grid pattern asks. Painting and the heatmap build on it.

/** A cell's place: column and row. */
export type CellPlace = { column: number; row: number };

export type GridViewOptions = {
  label: string;
  columns: string[];
  rows: string[];
  /** Called when a cell gains the focus; `extend` when it was reached with Shift held. */
  onMove?: (to: CellPlace, from: CellPlace, extend: boolean) => void;
  onActivate?: (at: CellPlace) => void;
};

/** The grid's element and its cells, with focus that moves by arrow keys. */
export class GridView {
  readonly element: HTMLElement;
  readonly cells: HTMLElement[][] = [];
  private focused: CellPlace = { column: 0, row: 0 };

  constructor(private readonly options: GridViewOptions) {
    const grid = document.createElement("div");
    grid.className = "grid";
    grid.setAttribute("role", "grid");
    grid.setAttribute("aria-label", options.label);
    grid.style.setProperty("--columns", String(options.columns.length));
    const head = this.row(grid);
    head.append(this.header("columnheader", ""));
    for (const column of options.columns) head.append(this.header("columnheader", column));
    for (const _ of options.columns) this.cells.push([]);
    options.rows.forEach((rowLabel, row) => {
      const line = this.row(grid);
      line.append(this.header("rowheader", rowLabel));
      options.columns.forEach((_, column) => {
        const cell = document.createElement("div");
        cell.className = "cell";
        cell.setAttribute("role", "gridcell");
        cell.tabIndex = column === 0 && row === 0 ? 0 : -1;
        cell.dataset.column = String(column);
        cell.dataset.row = String(row);
        line.append(cell);
        this.cells[column]!.push(cell);
      });
    });
    grid.addEventListener("keydown", (event) => this.onKey(event));
    grid.addEventListener("focusin", (event) => {
      const place = this.placeOf(event.target);
      if (place) this.focus(place, false, false);
    });
    this.element = grid;
  }

  /** The place of a cell element (or the element under a point), if it is one of this grid's cells. */
  placeOf(target: EventTarget | Element | null): CellPlace | undefined {
    const cell = target instanceof HTMLElement ? target.closest<HTMLElement>(".cell") : null;
    if (!cell || !this.element.contains(cell)) return undefined;
    return { column: Number(cell.dataset.column), row: Number(cell.dataset.row) };
  }

  cell({ column, row }: CellPlace): HTMLElement {
    return this.cells[column]![row]!;
  }

  /** Moves the roving tab stop (and, with `move`, the focus) to `to`. */
  focus(to: CellPlace, move = true, extend = false) {
    const from = this.focused;
    this.cell(from).tabIndex = -1;
    this.focused = to;
    const cell = this.cell(to);
    cell.tabIndex = 0;
    if (move) cell.focus();
    if (from.column !== to.column || from.row !== to.row || !move) this.options.onMove?.(to, from, extend);
  }

  private onKey(event: KeyboardEvent) {
    const { column, row } = this.focused;
    const last = { column: this.options.columns.length - 1, row: this.options.rows.length - 1 };
    const moves: Record<string, CellPlace> = {
      ArrowLeft: { column: Math.max(0, column - 1), row },
      ArrowRight: { column: Math.min(last.column, column + 1), row },
      ArrowUp: { column, row: Math.max(0, row - 1) },
      ArrowDown: { column, row: Math.min(last.row, row + 1) },
      Home: { column: 0, row },
      End: { column: last.column, row },
      PageUp: { column, row: 0 },
      PageDown: { column, row: last.row },
    };
    const to = moves[event.key];
    if (to) {
      event.preventDefault();
      this.focus(to, true, event.shiftKey);
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      this.options.onActivate?.(this.focused);
    }
  }

  private row(grid: HTMLElement) {
    const line = document.createElement("div");
    line.setAttribute("role", "row");
    line.className = "row";
    grid.append(line);
    return line;
  }

  private header(role: string, text: string) {
    const header = document.createElement("div");
    header.setAttribute("role", role);
    header.className = role;
    header.textContent = text;
    return header;
  }
}

/** "09:00" for a row starting `minutes` after midnight. */
export const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
