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

/**
 * The `k` of each of a panel's queries: a per-step `topk` returns about twice its `k` over a range as the ranking
 * changes hands, so a panel of one query keeps 250 at each step, of two or three queries 125 each.
 */
export const panelShare = (queries: 1 | 2 | 3) => panelSeriesBound / (queries === 1 ? 4 : 8);

/**
 * The query bounded to its `k` largest series at each step (`topk`): a panel of several queries shares
 * `panelSeriesBound` among them. Over a range the ranking changes hands, so a panel returns a few times `k` in all
 * (at 100 clusters a top 250 of 1,400 lines drew some 500 over an hour); the shares leave room for that, and the
 * benchmark measures it. A ranking taken once at the range's end (`@ end()`) would bound the range strictly, but
 * Prometheus counts it at every step: it cost 70 % more samples. With few clusters nothing is left out.
 */
export function largest(query: Query, k: number): Query {
  if (query.language !== 'promql') throw new Error('only a PromQL query can be bounded with topk');
  const note = `At most ${k.toLocaleString('en-US')} series at each point in time, the largest.`;
  return { ...query, expr: `topk(${k}, ${query.expr})`, note: [query.note, note].filter(Boolean).join(' ') };
}

/** The `k` a query is bounded to at each step, by `largest` or a table's own `topk(k, …)`; undefined if none. */
export function boundOf(expr: string): number | undefined {
  const match = /^topk\((\d+), /.exec(expr);
  return match ? Number(match[1]) : undefined;
}
