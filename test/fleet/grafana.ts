/**
 * Draws a dashboard's Prometheus panels the way Grafana does: resolves each query variable with its `label_values`
 * query against Prometheus, works out `$__interval` from the panel's max data points (its width unless set) and min
 * interval, `$__rate_interval` from the scrape interval, and runs every target as a range or an instant query.
 */
import type { PrometheusServer, PromSeries } from '../helpers/prometheus';

export interface TimeRange {
  from: number;
  to: number;
}

/** Grafana's default dashboard width in pixels, spread over the 24 grid columns. */
const dashboardWidthPx = 1920;

interface VariableJson {
  name: string;
  type: string;
  query?: unknown;
  regex?: string;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string | null;
  current?: { value?: unknown } | null;
  datasource?: { type?: string } | null;
}

interface PanelJson {
  type: string;
  title?: string;
  collapsed?: boolean;
  gridPos?: { w: number; h: number };
  datasource?: { type?: string; uid?: string } | string | null;
  targets?: Array<Record<string, unknown>>;
  panels?: PanelJson[];
  interval?: string;
  maxDataPoints?: number;
}

export interface DashboardLike {
  uid: string;
  templating?: { list?: unknown[] };
  panels?: unknown[];
}

export interface PrometheusTarget {
  panelTitle: string;
  panelType: string;
  refId: string;
  expr: string;
  legend: string | undefined;
  instant: boolean;
  /** Shown as a table (labels as columns): the legend format is not used. */
  table: boolean;
  /** The panel's max data points, else its width in pixels (Grafana's default). */
  maxDataPoints: number;
  /** The panel's min interval in seconds, which replaces the scrape interval as the floor of `$__interval`. */
  minInterval: number | undefined;
}

/**
 * Which panels a draw runs: `first` what Grafana queries when the dashboard opens (panels inside collapsed rows wait
 * until the row is opened), `expanded` every panel, as if each row were opened.
 */
export type Draw = 'first' | 'expanded';

export interface VariableValues {
  /** What `$name` becomes in query text. */
  text: Record<string, string>;
  /** Every value each query variable offered. */
  options: Record<string, string[]>;
}

/** The panels a draw queries: never row headers; the panels of a collapsed row only when every row is opened. */
export function panelsOf(dashboard: DashboardLike, draw: Draw = 'expanded'): PanelJson[] {
  const drawn: PanelJson[] = [];
  for (const panel of (dashboard.panels ?? []) as PanelJson[]) {
    if (panel.type !== 'row') drawn.push(panel);
    // Grafana drops panels nested in an open row; a collapsed row's panels are queried once it is opened.
    else if (panel.collapsed === true && draw === 'expanded') drawn.push(...(panel.panels ?? []).filter((nested) => nested.type !== 'row'));
  }
  return drawn;
}

const durationUnits: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** A panel's min interval (`30s`, `1m`, `>1m`) in seconds. */
export function parseMinInterval(interval: string | undefined): number | undefined {
  if (interval === undefined || interval.trim() === '') return undefined;
  const match = /^>?(\d+)(ms|s|m|h|d)$/.exec(interval.trim());
  if (!match) throw new Error(`panel min interval "${interval}" is not a duration such as 30s or 1m`);
  return Number(match[1]) * durationUnits[match[2]!]!;
}

function datasourceType(panel: PanelJson, target: Record<string, unknown>): string | undefined {
  const own = target.datasource as { type?: string; uid?: string } | undefined;
  const panelSource = typeof panel.datasource === 'object' ? panel.datasource : undefined;
  const type = own?.type ?? panelSource?.type;
  if (type) return type;
  // Dashboards exported with `${DS_PROMETHEUS}` refs carry only the uid.
  const uid = own?.uid ?? panelSource?.uid ?? (typeof panel.datasource === 'string' ? panel.datasource : undefined);
  return uid && /prom/i.test(uid) ? 'prometheus' : undefined;
}

/** The Prometheus targets a draw of the dashboard runs (by default every panel's, collapsed rows opened). */
export function prometheusTargets(dashboard: DashboardLike, draw: Draw = 'expanded'): PrometheusTarget[] {
  return panelsOf(dashboard, draw).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => datasourceType(panel, target) === 'prometheus' && typeof target.expr === 'string' && target.expr.trim() !== '')
      .filter((target) => target.hide !== true)
      .map((target) => ({
        panelTitle: panel.title ?? '',
        panelType: panel.type,
        refId: String(target.refId ?? ''),
        expr: target.expr as string,
        legend: typeof target.legendFormat === 'string' && target.legendFormat !== '__auto' ? target.legendFormat : undefined,
        // A table or stat without `range` shows the last value only; Grafana runs those as instant queries.
        instant: target.instant === true && target.range !== true,
        table: target.format === 'table',
        maxDataPoints: panel.maxDataPoints ?? Math.round(((panel.gridPos?.w ?? 24) / 24) * dashboardWidthPx),
        minInterval: parseMinInterval(panel.interval),
      })),
  );
}

/** Grafana's `roundInterval`: the raw interval rounded to a readable step, in milliseconds. */
export function roundInterval(ms: number): number {
  const steps: Array<[limit: number, rounded: number]> = [
    [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1_500, 1_000], [3_500, 2_000], [7_500, 5_000],
    [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000], [210_000, 120_000],
    [450_000, 300_000], [1_050_000, 600_000], [2_100_000, 900_000], [3_600_000, 1_800_000], [5_400_000, 3_600_000],
    [9_000_000, 7_200_000], [16_200_000, 10_800_000], [32_400_000, 21_600_000], [86_400_000, 43_200_000],
  ];
  for (const [limit, rounded] of steps) if (ms <= limit) return rounded;
  return 86_400_000;
}

export interface Intervals {
  /** Seconds. */
  interval: number;
  rateInterval: number;
  range: number;
}

/**
 * `$__interval`: the range over the panel's max data points, rounded, never below the panel's min interval or, when
 * it has none, the datasource's scrape interval; `$__rate_interval`: max($__interval + scrape interval, 4 × scrape
 * interval).
 */
export function intervalsFor(range: TimeRange, maxDataPoints: number, scrapeInterval: number, minInterval?: number): Intervals {
  const rangeSeconds = range.to - range.from;
  const interval = Math.max(roundInterval((rangeSeconds * 1000) / maxDataPoints) / 1000, minInterval ?? scrapeInterval);
  return { interval, rateInterval: Math.max(interval + scrapeInterval, 4 * scrapeInterval), range: rangeSeconds };
}

const reference = /\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]|\$([A-Za-z_]\w*)/g;

/** Replaces `$name`, `${name}`, `${name:fmt}` and `[[name]]`; leaves `$1` (label_replace) alone. Unknown names are an error. */
export function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(reference, (match, braced?: string, _format?: string, bracketed?: string, bare?: string) => {
    const name = braced ?? bracketed ?? bare!;
    if (!(name in values)) throw new Error(`"${text}" names $${name}, which the dashboard does not define`);
    return values[name]!;
  });
}

function macros(intervals: Intervals): Record<string, string> {
  return {
    __interval: `${intervals.interval}s`,
    __interval_ms: String(intervals.interval * 1000),
    __rate_interval: `${intervals.rateInterval}s`,
    __range: `${intervals.range}s`,
    __range_s: String(intervals.range),
    __auto: `${intervals.interval}s`,
  };
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function queryText(variable: VariableJson): string {
  const query = variable.query;
  if (typeof query === 'string') return query;
  if (query && typeof query === 'object' && 'query' in query) return String((query as { query: unknown }).query);
  return '';
}

/** The values of a Prometheus variable query, as Grafana's Prometheus datasource finds them. */
async function variableOptions(prometheus: PrometheusServer, query: string, range: TimeRange): Promise<string[]> {
  const labelValues = /^label_values\((?:(.*),\s*)?([A-Za-z_]\w*)\)$/s.exec(query.trim());
  if (labelValues) {
    const [, selector, label] = labelValues;
    return prometheus.labelValues(label!, selector?.trim() || `{${label}!=""}`, range.from, range.to);
  }
  // Any other query is a PromQL expression: Grafana offers each result series as text, to be cut by the regex.
  const result = await prometheus.query(query, range.to);
  return result.result.map((series: PromSeries) => {
    const { __name__: name, ...labels } = series.metric;
    return `${name ?? ''}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
  });
}

/** Grafana's variable regex: keeps matching values, the first capture group when there is one. */
function applyRegex(values: string[], regex: string | undefined): string[] {
  if (!regex) return values;
  const pattern = /^\/(.*)\/([gimsuy]*)$/s.exec(regex);
  const compiled = pattern ? new RegExp(pattern[1]!, pattern[2]) : new RegExp(regex);
  const kept = values.flatMap((value) => {
    const match = compiled.exec(value);
    return match ? [match[1] ?? match[0]] : [];
  });
  return [...new Set(kept)];
}

/**
 * Resolves the dashboard's variables in order, each query variable's query interpolated with those before it.
 * `selection` picks values (a regex for All-like choices is fine); otherwise All where offered, else the saved value
 * when it is among the options, else the first option.
 */
export async function resolveVariables(
  dashboard: DashboardLike,
  prometheus: PrometheusServer,
  range: TimeRange,
  selection: Record<string, string> = {},
): Promise<VariableValues> {
  const text: Record<string, string> = { ...macros(intervalsFor(range, dashboardWidthPx, 30)) };
  const options: Record<string, string[]> = {};
  for (const variable of (dashboard.templating?.list ?? []) as VariableJson[]) {
    if (variable.type === 'datasource') {
      text[variable.name] = variable.name;
      continue;
    }
    if (variable.type === 'textbox' || variable.type === 'constant') {
      const current = variable.current?.value;
      text[variable.name] = selection[variable.name] ?? (typeof current === 'string' ? current : queryText(variable));
      continue;
    }
    let values: string[];
    if (variable.type === 'custom') values = queryText(variable).split(',').map((value) => value.trim());
    else if (variable.type === 'query') {
      const isLoki = variable.datasource?.type === 'loki';
      // Loki variables cannot be resolved here: they select with their All value.
      values = isLoki ? [] : applyRegex(await variableOptions(prometheus, interpolate(queryText(variable), text), range), variable.regex);
    } else continue;
    options[variable.name] = values;
    const chosen = selection[variable.name];
    const current = variable.current?.value;
    const currentValues = [current].flat().filter((value): value is string => typeof value === 'string');
    const wantsAll = chosen === undefined && variable.includeAll && (currentValues.length === 0 || currentValues.includes('$__all'));
    if (chosen !== undefined) text[variable.name] = chosen;
    // An empty allValue is no allValue: Grafana then joins every value into one regex.
    else if (wantsAll) text[variable.name] = variable.allValue || `(${values.map(escapeRegex).join('|')})`;
    else {
      const saved = currentValues.filter((value) => values.includes(value));
      const picked = saved.length ? saved : values.slice(0, 1);
      text[variable.name] = picked.length === 1 ? picked[0]! : `(${picked.map(escapeRegex).join('|')})`;
    }
  }
  return { text, options };
}

export interface TargetRun {
  target: PrometheusTarget;
  expr: string;
  series: PromSeries[];
  /** Samples Prometheus touched (`stats=all`). */
  samples: number;
  seconds: number;
}

/** Runs a target as its panel would, with Grafana's step for range queries. */
export async function runTarget(
  prometheus: PrometheusServer,
  target: PrometheusTarget,
  variables: VariableValues,
  range: TimeRange,
  scrapeInterval: number,
): Promise<TargetRun> {
  const intervals = intervalsFor(range, target.maxDataPoints, scrapeInterval, target.minInterval);
  const expr = interpolate(target.expr, { ...variables.text, ...macros(intervals) });
  const started = performance.now();
  const result = target.instant
    ? await prometheus.query(expr, range.to, true)
    : await prometheus.queryRange(expr, { start: range.from, end: range.to, step: intervals.interval }, true);
  return {
    target,
    expr,
    series: result.result,
    samples: result.stats?.samples?.totalQueryableSamples ?? 0,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The `{{label}}` names of a legend format. */
export function legendLabels(legend: string | undefined): string[] {
  return [...(legend ?? '').matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((match) => match[1]!);
}
