/** Places panels on Grafana's 24-column grid, row by row, so that none overlap and none overflow. */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelKey } from '../model';

export const gridWidth = 24;

interface Placeable extends cog.Builder<dashboard.Panel> {
  gridPos(gridPos: dashboard.GridPos): this;
}

export interface Cell {
  panel: Placeable;
  /** Columns out of 24. */
  w: number;
  h: number;
  /** The panel's stable key, when other outputs link to it (model/panels.ts). */
  key?: PanelKey;
}

export interface Row {
  /** Row header; omitted for the panels above the first row. */
  title?: string;
  /**
   * Starts closed: Grafana queries the row's panels only once the user opens it, so they cost nothing when the
   * dashboard is first drawn. Needs a title.
   */
  collapsed?: boolean;
  /**
   * Shown only while its panels return data: the v2 dashboard hides it otherwise (conditional rendering). Classic
   * dashboards cannot hide a row, so they carry it only where `inClassic` says its data is expected.
   */
  onlyWithData?: { inClassic: boolean };
  cells: Cell[];
}

/** The rows a classic dashboard carries. */
export const classicRows = (rows: Row[]): Row[] => rows.filter((row) => row.onlyWithData?.inClassic ?? true);

export const cell = (panel: Placeable, w: number, h = 8, key?: PanelKey): Cell =>
  key ? { panel, w, h, key } : { panel, w, h };

/**
 * Places the cells from line `top` down, wrapping a cell to the next line when it would cross column 24; returns
 * each cell's position and the line below the last one.
 */
export function positions(cells: Cell[], top: number): { placed: dashboard.GridPos[]; bottom: number } {
  let y = top;
  let x = 0;
  let lineHeight = 0;
  const placed = cells.map(({ w, h }) => {
    if (w > gridWidth) throw new Error(`a panel ${w} columns wide does not fit the ${gridWidth}-column grid`);
    if (x + w > gridWidth) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    const position = { x, y, w, h };
    x += w;
    lineHeight = Math.max(lineHeight, h);
    return position;
  });
  return { placed, bottom: y + lineHeight };
}

/** Each cell's panel at its place. */
function place(cells: Cell[], top: number): { placed: Placeable[]; bottom: number } {
  const { placed, bottom } = positions(cells, top);
  return { placed: cells.map(({ panel }, index) => panel.gridPos(placed[index]!)), bottom };
}

/**
 * Adds the rows to the dashboard. An open row's panels follow its header on the grid; a collapsed row holds its
 * panels inside the row panel, placed where Grafana puts them when the row is opened (just below the header), and
 * the next row header follows right under the closed one.
 */
export function layout(builder: dashboard.DashboardBuilder, rows: Row[]): dashboard.DashboardBuilder {
  let y = 0;
  for (const row of classicRows(rows)) {
    if (row.collapsed) {
      if (!row.title) throw new Error('a collapsed row needs a title to be opened by');
      const header = new dashboard.RowBuilder(row.title).gridPos({ x: 0, y, w: gridWidth, h: 1 });
      for (const panel of place(row.cells, y + 1).placed) header.withPanel(panel);
      builder.withRow(header.collapsed(true));
      y += 1;
      continue;
    }
    if (row.title) {
      builder.withRow(new dashboard.RowBuilder(row.title).collapsed(false).gridPos({ x: 0, y, w: gridWidth, h: 1 }));
      y += 1;
    }
    const { placed, bottom } = place(row.cells, y);
    for (const panel of placed) builder.withPanel(panel);
    y = bottom;
  }
  return builder;
}

/**
 * The id of every cell, row by row: the classic dashboard's panels are numbered 1, 2, 3… in the order `layout` adds
 * them, a row header before its panels, as `toDashboardJson` numbers the built dashboard; the cells of rows only the
 * v2 dashboard carries follow. A panel keeps its id, and its links, in both models.
 */
export function cellIdsOf(rows: Row[]): number[][] {
  const classic = new Set(classicRows(rows));
  const ids = new Map<Row, number[]>();
  let id = 0;
  const number = (row: Row) => {
    if (row.title) id += 1;
    ids.set(row, row.cells.map(() => ++id));
  };
  rows.filter((row) => classic.has(row)).forEach(number);
  rows.filter((row) => !classic.has(row)).forEach(number);
  return rows.map((row) => ids.get(row)!);
}

/** The id of each keyed cell of the classic dashboard. */
export function panelIdsOf(rows: Row[]): Map<PanelKey, number> {
  const ids = new Map<PanelKey, number>();
  const classic = new Set(classicRows(rows));
  const cellIds = cellIdsOf(rows);
  rows.forEach((row, index) => {
    if (!classic.has(row)) return;
    row.cells.forEach(({ key }, cellIndex) => {
      if (!key) return;
      if (ids.has(key)) throw new Error(`two panels of one dashboard have the key ${key}`);
      ids.set(key, cellIds[index]![cellIndex]!);
    });
  });
  return ids;
}
