/** Places panels on Grafana's 24-column grid, row by row, so that none overlap and none overflow. */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export const gridWidth = 24;

interface Placeable extends cog.Builder<dashboard.Panel> {
  gridPos(gridPos: dashboard.GridPos): this;
}

export interface Cell {
  panel: Placeable;
  /** Columns out of 24. */
  w: number;
  h: number;
}

export interface Row {
  /** Open row header; omitted for the panels above the first row. */
  title?: string;
  cells: Cell[];
}

export const cell = (panel: Placeable, w: number, h = 8): Cell => ({ panel, w, h });

/** Adds the rows to the dashboard, wrapping a cell to the next line when it would cross column 24. */
export function layout(builder: dashboard.DashboardBuilder, rows: Row[]): dashboard.DashboardBuilder {
  let y = 0;
  for (const row of rows) {
    if (row.title) {
      builder.withRow(new dashboard.RowBuilder(row.title).collapsed(false).gridPos({ x: 0, y, w: gridWidth, h: 1 }));
      y += 1;
    }
    let x = 0;
    let lineHeight = 0;
    for (const { panel, w, h } of row.cells) {
      if (w > gridWidth) throw new Error(`a panel ${w} columns wide does not fit the ${gridWidth}-column grid`);
      if (x + w > gridWidth) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      builder.withPanel(panel.gridPos({ x, y, w, h }));
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return builder;
}
