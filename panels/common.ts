/** The house style: every panel of the package is made by one of these factories, and only here. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { Query } from '../queries/query';

/** Panels read their datasource from the dashboard's datasource variables, never from a fixed uid. */
export const prometheusDatasource: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
export const lokiDatasource: common.DataSourceRef = { type: 'loki', uid: '${loki_datasource}' };

export type Unit = 'short' | 'reqps' | 'ops' | 'opm' | 'percentunit' | 's' | 'bytes' | 'cores' | 'none' | 'dateTimeFromNow';

export const refId = (index: number) => String.fromCharCode('A'.charCodeAt(0) + index);

type TargetMode = 'range' | 'instant-table' | 'instant';

function prometheusTarget(query: Query, index: number, mode: TargetMode) {
  const target = new prometheus.DataqueryBuilder()
    .datasource(prometheusDatasource)
    .expr(query.expr)
    .refId(refId(index));
  if (query.legend) target.legendFormat(query.legend);
  if (mode === 'range') return target.range();
  target.instant();
  return mode === 'instant-table' ? target.format(prometheus.PromQueryFormat.Table) : target;
}

function lokiTarget(query: Query, index: number) {
  const target = new loki.DataqueryBuilder().datasource(lokiDatasource).expr(query.expr).refId(refId(index));
  if (query.legend) target.legendFormat(query.legend);
  return target;
}

interface PanelText {
  title: string;
  /** What the panel shows and what to do about it; every panel has one. */
  description: string;
}

export interface TimeseriesOptions extends PanelText {
  unit: Unit;
  decimals?: number;
  min?: number;
  max?: number;
  stacked?: boolean;
  bars?: boolean;
  /** Draw these thresholds as dashed lines. */
  thresholdLines?: number[];
}

const thresholds = (steps: dashboard.Threshold[]) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);

/** Floor of a time series' step: Flux is commonly scraped every 30–60 s and reconciles on minute intervals. */
export const timeseriesMinInterval = '1m';

/** A time series with its legend showing as a table with mean and max, sorted by max. */
export function timeseriesPanel(options: TimeseriesOptions, queries: Query[]) {
  const panel = new timeseries.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(prometheusDatasource)
    .interval(timeseriesMinInterval)
    .unit(options.unit)
    .fillOpacity(options.stacked || options.bars ? 60 : 10)
    .lineWidth(1)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(false)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['mean', 'max', 'lastNotNull'])
        .sortBy('Max')
        .sortDesc(true),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .targets(queries.map((query, index) => prometheusTarget(query, index, 'range')));
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.bars) panel.drawStyle(common.GraphDrawStyle.Bars);
  if (options.thresholdLines) {
    panel
      .thresholds(thresholds([{ value: null as unknown as number, color: 'green' }, ...options.thresholdLines.map((value) => ({ value, color: 'red' }))]))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}

export interface StatOptions extends PanelText {
  unit: Unit;
  decimals?: number;
  /** Value from which the stat turns amber and red; omitted: always neutral blue. */
  warnAt?: number;
  badAt?: number;
  /** Shown when the query returns nothing (e.g. "0" for a count of failing objects). */
  noValue?: string;
}

/** A single figure: the last value of one instant query. */
export function statPanel(options: StatOptions, query: Query) {
  const steps: dashboard.Threshold[] = [{ value: null as unknown as number, color: options.badAt === undefined ? 'blue' : 'green' }];
  if (options.warnAt !== undefined) steps.push({ value: options.warnAt, color: 'orange' });
  if (options.badAt !== undefined) steps.push({ value: options.badAt, color: 'red' });
  const panel = new stat.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(prometheusDatasource)
    .unit(options.unit)
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.Auto)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(thresholds(steps))
    .targets([prometheusTarget(query, 0, 'instant')]);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  if (options.noValue !== undefined) panel.noValue(options.noValue);
  return panel;
}

export interface TableOptions extends PanelText {
  /** Column titles by label name; labels not named here are hidden. */
  columns: Record<string, string>;
  /** Column to sort by, ascending unless `desc`. */
  sortBy?: { column: string; desc?: boolean };
  /** Colour the cells of a column by its text (e.g. `ready`: False red). */
  colouredColumns?: Record<string, Record<string, string>>;
  /** Show the query value as a column with this title and unit. */
  valueColumn?: { title: string; unit: Unit };
}

/** Instant queries as one table: one row per series, the chosen labels as columns. */
export function tablePanel(options: TableOptions, queries: Query[]) {
  const columnOrder = Object.keys(options.columns);
  const valueFields = queries.length === 1 ? ['Value'] : queries.map((_, index) => `Value #${refId(index)}`);
  const renameByName: Record<string, string> = { ...options.columns };
  if (options.valueColumn) for (const field of valueFields) renameByName[field] = options.valueColumn.title;
  const indexByName = Object.fromEntries(columnOrder.map((column, index) => [column, index]));
  const panel = new table.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(prometheusDatasource)
    .unit(options.valueColumn?.unit ?? 'none')
    .cellHeight(common.TableCellHeight.Sm)
    .filterable(true)
    .targets(queries.map((query, index) => prometheusTarget(query, index, 'instant-table')))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        // Only the named columns (and the value, when asked for) stay visible.
        excludeByName: { Time: true, ...(options.valueColumn ? {} : Object.fromEntries(valueFields.filter((f) => !(f in options.columns)).map((f) => [f, true]))) },
        includeByName: Object.fromEntries([...columnOrder, ...(options.valueColumn ? valueFields : [])].map((c) => [c, true])),
        indexByName,
        renameByName,
      },
    });
  if (options.sortBy) {
    panel.sortBy([new common.TableSortByFieldStateBuilder().displayName(renameByName[options.sortBy.column] ?? options.sortBy.column).desc(options.sortBy.desc ?? false)]);
  }
  for (const [column, colours] of Object.entries(options.colouredColumns ?? {})) {
    panel.overrideByName(renameByName[column] ?? column, [
      { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
      {
        id: 'mappings',
        value: [{ type: 'value', options: Object.fromEntries(Object.entries(colours).map(([text, color], index) => [text, { color, index }])) }],
      },
    ]);
  }
  return panel;
}

/** Log lines, newest first, with their details one click away. */
export function logsPanel(options: PanelText, query: Query) {
  return new logs.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(lokiDatasource)
    .showTime(true)
    .wrapLogMessage(true)
    .prettifyLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None)
    .targets([lokiTarget(query, 0)]);
}

export interface LogCountOptions extends PanelText {
  stacked?: boolean;
}

/** Counts of log lines over time, as bars. */
export function logCountPanel(options: LogCountOptions, queries: Query[]) {
  const panel = new timeseries.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(lokiDatasource)
    .unit('short')
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).calcs(['sum']))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .targets(queries.map((query, index) => lokiTarget(query, index)));
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return panel;
}

/** Colours for a Ready condition's status, for tables. */
export const readyColours = { True: 'green', False: 'red', Unknown: 'yellow' };
export const suspendedColours = { true: 'blue', false: 'transparent' };
