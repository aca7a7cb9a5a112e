/**
 * What a user sees in a table or stat panel: the panel's frames run through its own transformations and field config
 * by `@grafana/data`, then shown as Grafana's table (headers, sorted rows of cell texts and colours) or stat panel.
 */
import type { DataFrame, DataTransformerConfig, Field, FieldConfigSource, ReduceDataOptions } from '@grafana/data';
import data, { fieldConfigRegistry, theme, withWindow } from '../../../fixtures/grafana-data';

export interface PanelLike {
  type: string;
  title?: string;
  transformations?: DataTransformerConfig[];
  fieldConfig?: FieldConfigSource;
  options?: { sortBy?: Array<{ displayName: string; desc?: boolean }>; reduceOptions?: ReduceDataOptions };
}

export interface Cell {
  text: string;
  /** The cell's colour where the column colours its cells, as the theme draws it (hex). */
  colour?: string;
}

export interface TableView {
  headers: string[];
  rows: Cell[][];
  /** Frames the table has to choose from (more than one shows a frame picker). */
  frames: number;
}

export interface StatView {
  values: Array<{ title: string; text: string; colour: string }>;
}

const replaceVariables = (text: string) => text;

/** The panel's transformations run by Grafana's transformers registry. */
export async function transform(panel: PanelLike, frames: DataFrame[]): Promise<DataFrame[]> {
  return withWindow(
    () =>
      new Promise((resolve, reject) => {
        let last = frames;
        data.transformDataFrame(panel.transformations ?? [], frames).subscribe({
          next: (value) => (last = value),
          error: reject,
          complete: () => resolve(last),
        });
      }),
  );
}

/** Field config (defaults, overrides, mappings, thresholds, units, decimals) applied as Grafana's query runner does. */
export function applyFieldConfig(panel: PanelLike, frames: DataFrame[]): DataFrame[] {
  return data.applyFieldOverrides({
    data: frames,
    fieldConfig: panel.fieldConfig ?? { defaults: {}, overrides: [] },
    fieldConfigRegistry: fieldConfigRegistry(panel.type),
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
}

const colouringCells = new Set(['color-background', 'color-background-solid', 'color-text']);
const cellText = (field: Field, value: unknown) => data.formattedValueToString(field.display!(value));

// Follows getComparator and applySort in packages/grafana-ui/src/components/Table/TableNG/utils/sort.ts.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
function compareValues(type: string, a: unknown, b: unknown): number {
  if (type === data.FieldType.number || type === data.FieldType.time || type === data.FieldType.boolean) {
    if (a === b) return 0;
    if (a == null) return -1;
    if (b == null) return 1;
    return Number(a) - Number(b);
  }
  return collator.compare(String(a ?? ''), String(b ?? ''));
}

/** The first frame as Grafana's table shows it: visible fields, sorted as the panel's sortBy says. */
export function tableView(panel: PanelLike, frames: DataFrame[]): TableView {
  const frame = frames[0];
  if (!frame) return { headers: [], rows: [], frames: 0 };
  const fields = frame.fields.filter((field) => field.config.custom?.hidden !== true);
  const headers = fields.map((field) => data.getFieldDisplayName(field, frame, frames));
  const sortBy = panel.options?.sortBy ?? [];
  const order = Array.from({ length: frame.length }, (_, index) => index).sort((a, b) => {
    for (const { displayName, desc } of sortBy) {
      const field = fields[headers.indexOf(displayName)];
      if (!field) continue;
      const result = compareValues(field.type, field.values[a], field.values[b]);
      if (result !== 0) return desc ? -result : result;
    }
    return 0;
  });
  const rows = order.map((row) =>
    fields.map((field) => {
      const value = field.values[row];
      const cell: Cell = { text: cellText(field, value) };
      if (colouringCells.has(field.config.custom?.cellOptions?.type)) cell.colour = field.display!(value).color;
      return cell;
    }),
  );
  return { headers, rows, frames: frames.length };
}

/** The stat panel's values: each field reduced as its reduce options say, with title, text and colour. */
export function statView(panel: PanelLike, frames: DataFrame[]): StatView {
  const values = data.getFieldDisplayValues({
    data: frames,
    fieldConfig: panel.fieldConfig ?? { defaults: {}, overrides: [] },
    reduceOptions: panel.options?.reduceOptions ?? { calcs: ['lastNotNull'], values: false },
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
  return {
    values: values.map(({ display }) => ({
      title: display.title ?? '',
      text: data.formattedValueToString(display),
      colour: display.color ?? '',
    })),
  };
}
