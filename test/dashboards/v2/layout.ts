/** A v2 layout read back as the classic rows it stands for: rows layouts, and tabs (a collapsed row each). */

type Json = Record<string, unknown>;
export interface GridItem {
  x: number;
  y: number;
  width: number;
  height: number;
  element: { kind: string; name: string };
}
export interface LaidOutRow {
  title?: string;
  collapsed: boolean;
  hideHeader: boolean;
  conditionalRendering?: unknown;
  items: GridItem[];
}
interface Layout {
  kind: string;
  spec: Json;
}

const itemsOf = (grid: Layout) => (grid.spec.items as Array<{ spec: GridItem }>).map(({ spec }) => spec);

function rowsOf(layout: Layout): LaidOutRow[] {
  return (layout.spec.rows as Array<{ spec: Json & { layout: Layout } }>).map(({ spec: row }) => ({
    title: row.title as string | undefined,
    collapsed: Boolean(row.collapse),
    hideHeader: Boolean(row.hideHeader),
    conditionalRendering: row.conditionalRendering,
    items: itemsOf(row.layout),
  }));
}

/**
 * The rows of a v2 layout in the order the classic dashboard has them when the first tab holds the open rows: a
 * grid is one untitled row; a tab other than the first is a collapsed row.
 */
export function laidOutRows(layout: Layout): LaidOutRow[] {
  if (layout.kind === 'GridLayout') return [{ collapsed: false, hideHeader: true, items: itemsOf(layout) }];
  if (layout.kind === 'RowsLayout') return rowsOf(layout);
  if (layout.kind !== 'TabsLayout') throw new Error(`unexpected layout ${layout.kind}`);
  const [first, ...others] = (layout.spec.tabs as Array<{ spec: Json & { layout: Layout } }>).map(({ spec }) => spec);
  return [
    ...rowsOf(first!.layout),
    ...others.map((tab) => ({
      title: tab.title as string,
      collapsed: true,
      hideHeader: false,
      conditionalRendering: tab.conditionalRendering,
      items: itemsOf(tab.layout),
    })),
  ];
}
