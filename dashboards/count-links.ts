/**
 * Counts that open the table listing what they count: a stat cell marked with `listedIn` gets a data link to the
 * same dashboard with that table alone in view (`viewPanel`, by the id the layout gives the keyed table).
 */
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import type { PanelKey } from '../model';
import { tableViewLink } from '../panels';
import type { DashboardSpec } from './defaults';
import { panelIdsOf, type Cell } from './layout';

const listingTables = new WeakMap<Cell, PanelKey>();

/** Marks a count's cell with the keyed table that lists what it counts. */
export function listedIn(count: Cell, table: PanelKey): Cell {
  listingTables.set(count, table);
  return count;
}

/** Gives every marked count of the dashboard its link to its table; a table the dashboard lacks is an error. */
export function withCountLinks(spec: DashboardSpec): DashboardSpec {
  const ids = panelIdsOf(spec.rows);
  const titleOf = (key: PanelKey) =>
    spec.rows.flatMap((row) => row.cells).find((cell) => cell.key === key)!.panel.build().title ?? key;
  for (const cell of spec.rows.flatMap((row) => row.cells)) {
    const table = listingTables.get(cell);
    if (!table) continue;
    const id = ids.get(table);
    if (id === undefined) throw new Error(`${spec.identity.uid}: a count links to ${table}, which it does not hold`);
    if (!(cell.panel instanceof stat.PanelBuilder)) {
      throw new Error(`${spec.identity.uid}: a count linking to ${table} is no stat`);
    }
    cell.panel.dataLinks([tableViewLink(spec.identity.uid, id, titleOf(table))]);
  }
  return spec;
}
