/** The house style: every panel of the package is made by one of these factories, and only here. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as datasource from '@grafana/grafana-foundation-sdk/datasource';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { datasources } from '../model/variables';
import type { Query } from '../queries/query';

const prometheusDatasource: common.DataSourceRef = datasources.prometheus;
const lokiDatasource: common.DataSourceRef = datasources.loki;
/** Grafana's built-in `-- Dashboard --` datasource: a panel shows what another panel of the dashboard fetched. */
export const dashboardDatasource: common.DataSourceRef = { type: 'datasource', uid: '-- Dashboard --' };
/** Grafana's server-side expressions: math over the results of the panel's other queries. */
export const expressionDatasource: common.DataSourceRef = { type: '__expr__', uid: '__expr__' };

/** Grafana unit ids; `suffix:cores` is Grafana's custom-unit syntax, as it has no unit for CPU cores. */
export type Unit =
  | 'short'
  | 'reqps'
  | 'ops'
  | 'opm'
  | 'percentunit'
  | 's'
  | 'bytes'
  | 'Bps'
  | 'suffix:cores'
  | 'none'
  | 'dateTimeFromNow';

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

/** The first threshold step, from minus infinity (which Grafana writes as null). */
const baseStep = (color: string): dashboard.Threshold => ({ value: null as unknown as number, color });

/** Every series at the cursor, highest first. */
const multiTooltip = () =>
  new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending);

const thresholds = (steps: dashboard.Threshold[]) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);

/** Floor of a time series' step: Flux is commonly scraped every 30–60 s and reconciles on minute intervals. */
export const timeseriesMinInterval = '1m';

/** A time series panel in the house style, without its queries. */
function timeseriesBase(options: TimeseriesOptions, description: string, source: common.DataSourceRef) {
  const panel = new timeseries.PanelBuilder()
    .title(options.title)
    .description(description)
    .datasource(source)
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
    .tooltip(multiTooltip());
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  // Grafana scales a flat 0 to 0–100, which a share reads as 0–10000%: a share's axis reaches 100% at least.
  if (options.unit === 'percentunit' && options.max === undefined) panel.axisSoftMax(1);
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.bars) panel.drawStyle(common.GraphDrawStyle.Bars);
  if (options.thresholdLines) {
    panel
      .thresholds(thresholds([baseStep('green'), ...options.thresholdLines.map((value) => ({ value, color: 'red' }))]))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}

/** A time series with its legend showing as a table with mean and max, sorted by max. */
export function timeseriesPanel(options: TimeseriesOptions, queries: Query[]) {
  return timeseriesBase(options, describedWith(options.description, queries), prometheusDatasource).targets(
    queries.map((query, index) => prometheusTarget(query, index, 'range')),
  );
}

/** `$A`, `$B`…: how a server-side expression names the panel's queries. */
export type RefIdsOf = (query: Query) => string;

/**
 * A time series drawing a server-side math expression over its queries (which are fetched once, hidden here unless
 * `drawn`, and there for other panels to reuse); `legendLabels` and `suffix` name the expression's series as a
 * query's legend would.
 */
export function expressionTimeseriesPanel(
  options: TimeseriesOptions,
  queries: Query[],
  math: { expression: (ref: RefIdsOf) => string; legendLabels: string[]; suffix?: string; drawn?: Query[] },
) {
  const ref: RefIdsOf = (query) => {
    const index = queries.indexOf(query);
    if (index < 0) throw new Error(`panel "${options.title}": its expression names a query it does not have`);
    return `$${refId(index)}`;
  };
  const expressionRefId = refId(queries.length);
  const expression = new expr.TypeMathBuilder()
    .datasource(expressionDatasource)
    .expression(math.expression(ref))
    .refId(expressionRefId);
  const panel = timeseriesBase(options, describedWith(options.description, queries), prometheusDatasource).targets([
    ...queries.map((query, index) => prometheusTarget(query, index, 'range')),
    expression,
  ]);
  const hidden = { id: 'custom.hideFrom', value: { viz: true, legend: true, tooltip: true } };
  queries.forEach((query, index) => {
    if (!math.drawn?.includes(query)) panel.overrideByQuery(refId(index), [hidden]);
  });
  // An expression's series have no legend format: they are named from their labels.
  const displayName = math.legendLabels.map((label) => `\${__field.labels.${label}}`).join(' ') + (math.suffix ?? '');
  return panel.overrideByQuery(expressionRefId, [{ id: 'displayName', value: displayName }]);
}

/**
 * A time series of what another panel of the dashboard fetched (Grafana's `-- Dashboard --` datasource), narrowed to
 * some of its queries: the series are read once, for both panels. `queries` are the source panel's, for the notes.
 */
export function reusedTimeseriesPanel(
  options: TimeseriesOptions,
  source: { panelId: number; queries: Query[]; shown: Query[] },
) {
  const refIds = source.shown.map((query) => {
    const index = source.queries.indexOf(query);
    if (index < 0) throw new Error(`panel "${options.title}": it reuses a query its source panel does not have`);
    return refId(index);
  });
  const reused = new datasource.DataqueryBuilder().datasource(dashboardDatasource).panelId(source.panelId).refId('A');
  return timeseriesBase(options, describedWith(options.description, source.shown), dashboardDatasource)
    .targets([reused])
    .withTransformation({ id: 'filterByRefId', options: { include: refIds.join('|') } });
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

/** The panel's description, then what its queries cannot show for this installation. */
export function describedWith(description: string, queries: readonly Query[]): string {
  const notes = [...new Set(queries.flatMap((query) => (query.note ? [query.note] : [])))];
  return [description, ...notes].join(' ');
}

/** A single figure: the last value of one instant query. */
export function statPanel(options: StatOptions, query: Query) {
  const steps: dashboard.Threshold[] = [baseStep(options.badAt === undefined ? 'blue' : 'green')];
  if (options.warnAt !== undefined) steps.push({ value: options.warnAt, color: 'orange' });
  if (options.badAt !== undefined) steps.push({ value: options.badAt, color: 'red' });
  const panel = new stat.PanelBuilder()
    .title(options.title)
    .description(describedWith(options.description, [query]))
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

/** Column titles of the labels tables show; a table may retitle or hide one (a label with no title is an error). */
export const columnTitles: Readonly<Record<string, string>> = {
  customresource_kind: 'Kind',
  kind: 'Kind',
  exported_namespace: 'Namespace',
  namespace: 'Namespace',
  name: 'Name',
  ready: 'Ready',
  ready_reason: 'Reason',
  reason: 'Reason',
  ref: 'Ref',
  suspended: 'Suspended',
  revision: 'Revision',
  source_name: 'Source',
  url: 'URL',
  bucket_name: 'Bucket',
  chart_name: 'Chart',
  chart_app_version: 'App version',
  chart_source_name: 'Source',
  chart_ref_name: 'Chart ref',
  deployment: 'Controller',
  component: 'Component',
  registry: 'Registry',
  resources: 'Resources',
  platform: 'Platform',
  pod: 'Pod',
  version: 'Version',
  image: 'Image',
};

/** The title of the cluster label's column, whatever the installation calls that label. */
const clusterColumnTitle = 'Cluster';

export interface TableOptions extends PanelText {
  /** Titles of this table's labels where they differ from `columnTitles`; null hides the label. */
  titles?: Record<string, string | null>;
  /** Title of the column to sort by, ascending unless `desc`. */
  sortBy?: { column: string; desc?: boolean };
  /** Colour the cells of a label's column by its text (e.g. `ready`: False red). */
  colouredColumns?: Record<string, Record<string, string>>;
  /** Unit of the value columns. */
  unit?: Unit;
  /** Shown in an empty cell (e.g. "0" where a count query has no series for the row). */
  noValue?: string;
  /** A link on the cells of a label's column (the object's name opens the object dashboard). */
  columnLinks?: ColumnLink[];
}

/** A data link on one column of a table: `url` may name the row's other cells as `${__data.fields.<label>}`. */
export interface ColumnLink {
  /** The label whose cells carry the link. */
  column: string;
  title: string;
  url: string;
}

/** A query of a table whose value is a column of its own, with this title. */
export interface TableValue {
  query: Query;
  value: string;
}

const isTableValue = (source: Query | TableValue): source is TableValue => 'query' in source;
const valueTitle = (source: Query | TableValue) => (isTableValue(source) ? source.value : null);

/** The table's columns: each query's labels in order of appearance, then the titled value columns. */
function tableColumns(options: TableOptions, sources: (Query | TableValue)[]) {
  const queries = sources.map((source) => (isTableValue(source) ? source.query : source));
  const titleOf = (label: string, query: Query) => {
    if (options.titles && label in options.titles) return options.titles[label] ?? null;
    if (label === query.clusterLabel) return clusterColumnTitle;
    const title = columnTitles[label];
    if (title === undefined) {
      throw new Error(`table "${options.title}": label ${label} has no column title; add one or hide it`);
    }
    return title;
  };
  const titles = new Map<string, string | null>();
  for (const query of queries) {
    for (const label of query.labels) if (!titles.has(label)) titles.set(label, titleOf(label, query));
  }
  const valueField = (index: number) => (sources.length === 1 ? 'Value' : `Value #${refId(index)}`);
  const values = sources.map((source, index) => [valueField(index), valueTitle(source)] as const);
  const shown = [...titles, ...values].filter((entry): entry is [string, string] => entry[1] !== null);
  const hiddenValues = values.filter(([, title]) => title === null).map(([field]) => field);
  return { queries, shown, hiddenValues };
}

/** Instant queries as one table: one row per series, the queries' labels (and titled values) as columns. */
export function tablePanel(options: TableOptions, listed: (Query | TableValue)[]) {
  // A bounded table's count of what it leaves out is a row of its own.
  const omitted = listed.flatMap((source) => {
    const query = isTableValue(source) ? source.query : source;
    return query.omitted ? [{ query: query.omitted, value: 'Not listed' }] : [];
  });
  const sources = [...listed, ...omitted];
  const { queries, shown, hiddenValues } = tableColumns(options, sources);
  const renameByName = Object.fromEntries(shown);
  const panel = new table.PanelBuilder()
    .title(options.title)
    .description(describedWith(options.description, queries))
    .datasource(prometheusDatasource)
    .unit(options.unit ?? 'none')
    .cellHeight(common.TableCellHeight.Sm)
    .filterable(true)
    .targets(queries.map((query, index) => prometheusTarget(query, index, 'instant-table')));
  // Several queries give a frame each, joined on their common labels; one query's frame needs no merge.
  if (queries.length > 1) panel.withTransformation({ id: 'merge', options: {} });
  panel.withTransformation({
    id: 'organize',
    options: {
      // Only the titled columns stay visible.
      excludeByName: { Time: true, ...Object.fromEntries(hiddenValues.map((field) => [field, true])) },
      includeByName: Object.fromEntries(shown.map(([column]) => [column, true])),
      indexByName: Object.fromEntries(shown.map(([column], index) => [column, index])),
      renameByName,
    },
  });
  if (options.noValue !== undefined) panel.noValue(options.noValue);
  if (options.sortBy) {
    const sortBy = new common.TableSortByFieldStateBuilder()
      .displayName(options.sortBy.column)
      .desc(options.sortBy.desc ?? false);
    panel.sortBy([sortBy]);
  }
  for (const [column, colours] of Object.entries(options.colouredColumns ?? {})) {
    const mappings = Object.fromEntries(
      Object.entries(colours).map(([text, color], index) => [text, { color, index }]),
    );
    panel.overrideByName(renameByName[column] ?? column, [
      { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
      { id: 'mappings', value: [{ type: 'value', options: mappings }] },
    ]);
  }
  for (const link of options.columnLinks ?? []) {
    if (!shown.some(([column]) => column === link.column)) {
      throw new Error(`table "${options.title}": no column ${link.column} to link from`);
    }
    panel.overrideByName(renameByName[link.column] ?? link.column, [
      { id: 'links', value: [{ title: link.title, url: link.url }] },
    ]);
  }
  return panel;
}

export interface StateTimelineOptions extends PanelText {
  /** What each value means: its text and colour; unmapped values keep the scheme's colour. */
  states?: ReadonlyArray<{ value: number; text: string; colour: string }>;
}

/** States over time, one lane per series: a lane is lit while its series has a value. */
export function stateTimelinePanel(options: StateTimelineOptions, queries: Query[]) {
  const panel = new statetimeline.PanelBuilder()
    .title(options.title)
    .description(options.description)
    .datasource(prometheusDatasource)
    .interval(timeseriesMinInterval)
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.8)
    .fillOpacity(80)
    .lineWidth(0)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(multiTooltip())
    .targets(queries.map((query, index) => prometheusTarget(query, index, 'range')));
  if (options.states) {
    const mapped = Object.fromEntries(
      options.states.map(({ value, text, colour }, index) => [String(value), { text, color: colour, index }]),
    );
    panel.mappings([{ type: dashboard.MappingType.ValueToText, options: mapped }]);
  }
  return panel;
}

export interface LogsOptions extends PanelText {
  /** A link in the panel's header (to the logs dashboard with the same filters). */
  link?: { title: string; url: string };
}

/** Log lines, newest first, with their details one click away. */
export function logsPanel(options: LogsOptions, query: Query) {
  const panel = new logs.PanelBuilder()
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
  if (options.link) {
    panel.links([
      new dashboard.DashboardLinkBuilder(options.link.title)
        .type(dashboard.DashboardLinkType.Link)
        .url(options.link.url)
        .keepTime(true)
        .includeVars(false)
        .targetBlank(false),
    ]);
  }
  return panel;
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
    // A count's bars stand on 0: Grafana would otherwise start the axis at the smallest count, hiding those bars.
    .min(0)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['sum']),
    )
    .tooltip(multiTooltip())
    .targets(queries.map((query, index) => lokiTarget(query, index)));
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return panel;
}

/** Colours for a Ready condition's status, for tables. */
export const readyColours = { True: 'green', False: 'red', Unknown: 'yellow' };
/** kube-state-metrics writes `true`/`false`, the Flux Operator `True`/`False`. */
export const suspendedColours = { true: 'blue', false: 'transparent', True: 'blue', False: 'transparent' };
/** The Ready and Suspended columns of a table of Flux objects, coloured by their text. */
export const readinessColours = { ready: readyColours, suspended: suspendedColours };
