/**
 * What the preview page draws: a dashboard's panels laid out by their grid positions, each with the frames its queries
 * returned. Plain JSON, made in Node (scene-of.ts) and drawn in the browser (page/), so neither side imports the other.
 */

/** A data frame's field as JSON: Grafana's `Field` without the functions field config adds. */
export interface FieldJson {
  name: string;
  type: string;
  labels?: Record<string, string>;
  config: Record<string, unknown>;
  values: unknown[];
}

export interface FrameJson {
  refId?: string;
  name?: string;
  meta?: Record<string, unknown>;
  fields: FieldJson[];
  length: number;
}

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Why a panel is not drawn by Grafana's components: its type has no component in @grafana/ui, or no data here. */
export interface Placeholder {
  reason: string;
}

export interface ScenePanel {
  id: number;
  type: string;
  title: string;
  gridPos: GridPos;
  /** A row header: collapsed, with this many panels inside. */
  row?: { collapsed: boolean; panels: number };
  /** The panel's own JSON: field config, options, transformations already applied to `frames`. */
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: unknown[] };
  options?: Record<string, unknown>;
  /** After the panel's transformations, before its field config (which needs the browser's theme). */
  frames: FrameJson[];
  placeholder?: Placeholder;
  /** A query or transformation failed: drawn as Grafana draws a panel error. */
  error?: string;
}

export interface Scene {
  uid: string;
  title: string;
  theme: 'dark' | 'light';
  /** Unix milliseconds. */
  timeRange: { from: number; to: number };
  /** Page width in pixels: the grid's 24 columns share it. */
  width: number;
  /** Variables as the dashboard's header shows them. */
  variables: Array<{ label: string; value: string }>;
  panels: ScenePanel[];
}

/** Grafana's dashboard grid (public/app/core/constants.ts): 24 columns, 30 px rows, 8 px between cells. */
export const grid = { columns: 24, rowHeight: 30, margin: 8 } as const;

/** Where a grid position lands in pixels (react-grid-layout's calcGridItemPosition). */
export function gridBox(pos: GridPos, width: number): { left: number; top: number; width: number; height: number } {
  const columnWidth = (width - grid.margin * (grid.columns - 1)) / grid.columns;
  return {
    left: Math.round((columnWidth + grid.margin) * pos.x),
    top: Math.round((grid.rowHeight + grid.margin) * pos.y),
    width: Math.round(columnWidth * pos.w + grid.margin * (pos.w - 1)),
    height: Math.round(grid.rowHeight * pos.h + grid.margin * (pos.h - 1)),
  };
}
