/** What a query function returns: the expression, the labels of its result series and the legend they give. */
export interface Query {
  language: 'promql' | 'logql';
  expr: string;
  /** Labels of each result series, in the order a table shows them; the cluster label, when any, first. */
  labels: string[];
  /** The label among `labels` that names the cluster, when the installation has one. */
  clusterLabel?: string;
  /** Grafana legend format, `{{label}}` per grouping label. */
  legend?: string;
  /** What the query cannot return for this installation (kinds its Flux release writes no readiness for). */
  note?: string;
  /** A bounded table's count of the rows it leaves out (one row, none when nothing is left out). */
  omitted?: Query;
}

/**
 * Most rows a table listing objects shows (the worst first), and so most series any panel returns: at 100 clusters ×
 * 1,000 objects a table of every object would be 100,000 rows, for a browser to lay out and no one to read.
 */
export const tableRowBound = 500;

interface Printable {
  toString(): string;
}

export interface LegendOptions {
  /** Labels the legend names, when not every label of the result; `labels` by default. */
  legendLabels?: string[];
  /** Text after the labels, e.g. ` p99` when one panel draws several quantiles. */
  suffix?: string;
}

const legendOf = (labels: string[], suffix = '') => labels.map((label) => `{{${label}}}`).join(' ') + suffix;

/** A finished PromQL query; `scope` tells which of its labels names the cluster. */
export function promQuery(
  scope: { clusterLabel: string | null },
  expr: Printable | string,
  labels: string[] = [],
  options: LegendOptions = {},
): Query {
  const legend = legendOf(options.legendLabels ?? labels, options.suffix);
  const clusterLabel = scope.clusterLabel && labels.includes(scope.clusterLabel) ? scope.clusterLabel : undefined;
  return {
    language: 'promql',
    expr: expr.toString(),
    labels,
    ...(clusterLabel ? { clusterLabel } : {}),
    ...(legend ? { legend } : {}),
  };
}

/** A finished LogQL query. */
export function logQuery(expr: string, labels: string[] = []): Query {
  const legend = legendOf(labels);
  return { language: 'logql', expr, labels, ...(legend ? { legend } : {}) };
}

/** Most series a panel returns with every cluster shown: at 100 clusters a line per cluster and controller is 1,400. */
export const panelSeriesBound = 1000;

/** The `k` of each of a panel's queries: one query keeps 500, each of two or three keeps 250 (the ratio drawn too). */
export const panelShare = (queries: 1 | 2 | 3) => panelSeriesBound / (queries === 1 ? 2 : 4);

/**
 * The query bounded to the `k` series largest at the end of the time range, drawn over the whole range: a panel of
 * several queries shares `panelSeriesBound` among them. A `topk` at each step would not bound a range query, as the
 * ranking changes hands (at 100 clusters a per-step top 250 of 1,400 queues drew 1,386 over an hour); the ranking is
 * taken once, at the range's last step (`@ end()`, which Prometheus evaluates once). Only series ranked below the top
 * `k` are left out: one with no value at the end (an idle queue's quantile) is kept, and with few clusters nothing is.
 */
export function largest(query: Query, k: number): Query {
  if (query.language !== 'promql') throw new Error('only a PromQL query can be bounded with topk');
  const note = `At most ${k.toLocaleString('en-US')} series, the largest at the end of the time range.`;
  const on = `on(${query.labels.join(', ')})`;
  const ranked = `last_over_time((${query.expr})[$__interval:$__interval] @ end())`;
  const expr = `(${query.expr}) unless ${on} (${ranked} unless ${on} topk(${k}, ${ranked}))`;
  return { ...query, expr, note: [query.note, note].filter(Boolean).join(' ') };
}

/** The `k` a query is bounded to, by `largest` or a table's own `topk(k, …)`; undefined when it is not bounded. */
export function boundOf(expr: string): number | undefined {
  const match = / unless on\([^)]*\) topk\((\d+), last_over_time\(/.exec(expr) ?? /^topk\((\d+), /.exec(expr);
  return match ? Number(match[1]) : undefined;
}
