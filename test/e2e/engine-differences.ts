/**
 * Compares what Prometheus and VictoriaMetrics answer to the same query over the same backfilled fleet. Equal means
 * the same series (label sets, `__name__` included) with the same points and values to float rounding; each known
 * difference of MetricsQL is excused only where its cause is there, and counted (docs/engines.md states them).
 */
import type { Fleet } from '../../fixtures/fleet/fleet';
import type { PromSeries } from '../../fixtures/prometheus';

/** Prometheus' default lookback: a backfilled series (no staleness marker) is read this long after its last sample. */
export const lookbackSeconds = 300;
/** Summing in another order changes the last bits of a float. */
export const floatTolerance = 1e-9;

export type Difference =
  /** Prometheus returns a NaN point (0/0, a quantile of no observations); VictoriaMetrics leaves the point out. */
  | 'nan dropped'
  /**
   * A series ended (a pod went down, an object was deleted or changed its labels) within the lookback and the range
   * window before the point: Prometheus still reads its last sample for 5 minutes and extrapolates `rate` only half
   * an interval past it; VictoriaMetrics stops reading it after a staleness interval it derives from the samples'
   * spacing, and takes a rate between the last sample before the window and the last in it.
   */
  | 'series end'
  /**
   * `rate` at an instant between scrapes: Prometheus takes the slope over the samples inside the window and
   * extrapolates it to the window's edges; MetricsQL takes the slope from the last sample before the window to the
   * last inside it, one scrape interval more. With k intervals in the window the two differ by at most the largest
   * increase over one scrape interval divided by the window (at instants on the scrapes both take the same slope).
   */
  | 'rate extrapolation'
  /** A panel reads rates vmalert recorded: its values follow them (each bounded by the difference above). */
  | 'recorded rates';

const differences: Difference[] = ['nan dropped', 'series end', 'rate extrapolation', 'recorded rates'];

export interface Comparison {
  problems: string[];
  /** Points compared equal. */
  equal: number;
  excused: Record<Difference, number>;
  /** The largest relative difference of a value each difference excused. */
  largest: Record<Difference, number>;
}

const perDifference = (value: (difference: Difference) => number) =>
  Object.fromEntries(differences.map((difference) => [difference, value(difference)])) as Record<Difference, number>;

export const emptyComparison = (): Comparison => ({
  problems: [],
  equal: 0,
  excused: perDifference(() => 0),
  largest: perDifference(() => 0),
});

export function addComparison(total: Comparison, part: Comparison): Comparison {
  return {
    problems: [...total.problems, ...part.problems],
    equal: total.equal + part.equal,
    excused: perDifference((difference) => total.excused[difference] + part.excused[difference]),
    largest: perDifference((difference) => Math.max(total.largest[difference], part.largest[difference])),
  };
}

/** Points a difference excused other than reading recorded rates (which differ wherever a rate is not flat). */
export const excusedCount = (comparison: Comparison) =>
  differences
    .filter((difference) => difference !== 'recorded rates')
    .reduce((sum, difference) => sum + comparison.excused[difference], 0);

/** Metrics about Flux objects (per object), which end when an object is deleted or changes its readiness labels. */
const objectMetric = (name: string) => name.includes('gotk_') || name.startsWith('flux_');

/**
 * When series the expression reads end, each with its cluster: a controller pod going down ends every series it
 * exposes; an object deleted or recovered ends its own series (only read by object metrics), and the Flux Operator's
 * `flux_resource_info` shows that at its next report, up to a reporting interval later.
 */
export function seriesEnds(fleet: Fleet, expr: string): Array<{ cluster: string; time: number }> {
  const readsObjects = [...expr.matchAll(/([A-Za-z_:][\w:]*)\{/g)].some(([, name]) => objectMetric(name!));
  const start = fleet.options.end - fleet.options.duration;
  const reported = (cluster: string, time: number) => {
    const operator = fleet.operators.find((candidate) => candidate.cluster === cluster);
    if (fleet.options.flavor !== 'flux-operator' || !operator) return [];
    const { reportPhase: phase, reportingInterval: interval } = operator;
    return [start + phase + Math.ceil((time - start - phase) / interval) * interval];
  };
  return [
    ...fleet.pods.flatMap((pod) => (pod.downAt === null ? [] : [{ cluster: pod.cluster, time: pod.downAt }])),
    ...(readsObjects ? fleet.objects : []).flatMap(({ cluster, deletedAt, recoveredAt }) =>
      [deletedAt, recoveredAt].flatMap((time) =>
        time === null ? [] : [time, ...reported(cluster, time)].map((end) => ({ cluster, time: end })),
      ),
    ),
  ];
}

/** The longest range selector of an expression, seconds (the interpolated text carries seconds or minutes). */
export function longestWindow(expr: string): number {
  const windows = [...expr.matchAll(/\[(\d+)([sm])\]/g)].map(
    ([, amount, unit]) => Number(amount) * (unit === 'm' ? 60 : 1),
  );
  return Math.max(0, ...windows);
}

export interface CompareContext {
  where: string;
  fleet: Fleet;
  /** The label that names the cluster, when there is one. */
  clusterLabel: string | null;
  expr: string;
  scrapeInterval: number;
  /** How far a value may be from Prometheus' by `rate` extrapolation (absolute), where the test worked it out. */
  rateAllowance?: (labels: Record<string, string>, time: number) => number | undefined;
  /** The target reads rates vmalert recorded. */
  readsRecordedRates?: boolean;
  /** The window of the recorded rates it reads, seconds: a series end reaches that much further. */
  recordedWindow?: number;
}

const seriesKey = (series: PromSeries) => JSON.stringify(Object.entries(series.metric).sort());
const pointsOf = (series: PromSeries): Array<[number, string]> => series.values ?? (series.value ? [series.value] : []);
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);

/**
 * Each Prometheus point must be in VictoriaMetrics' answer with the same value, and VictoriaMetrics must answer
 * nothing more, except where a difference of the engine explains it.
 */
export function compareSeries(prometheus: PromSeries[], victoria: PromSeries[], context: CompareContext): Comparison {
  const comparison = emptyComparison();
  const { where, clusterLabel, scrapeInterval } = context;
  const ends = seriesEnds(context.fleet, context.expr);
  const reach = lookbackSeconds + longestWindow(context.expr) + (context.recordedWindow ?? 0) + scrapeInterval;
  /** A series of this cluster (of any, without a cluster label or when the result has none) ended just before. */
  const afterAnEnd = (labels: Record<string, string>, time: number) =>
    ends.some(
      (end) =>
        (!clusterLabel || labels[clusterLabel] === undefined || labels[clusterLabel] === end.cluster) &&
        end.time - scrapeInterval <= time &&
        time <= end.time + reach,
    );
  const excuse = (difference: Difference, size = 0) => {
    comparison.excused[difference] += 1;
    comparison.largest[difference] = Math.max(comparison.largest[difference], size);
  };
  const victoriaByKey = new Map(victoria.map((series) => [seriesKey(series), series]));
  for (const series of prometheus) {
    const key = seriesKey(series);
    const twin = victoriaByKey.get(key);
    victoriaByKey.delete(key);
    const twinPoints = new Map(twin ? pointsOf(twin) : []);
    for (const [time, text] of pointsOf(series)) {
      const value = Number(text);
      const other = twinPoints.get(time);
      twinPoints.delete(time);
      if (other === undefined) {
        if (Number.isNaN(value)) excuse('nan dropped');
        else if (afterAnEnd(series.metric, time)) excuse('series end', 1);
        else comparison.problems.push(`${where}: ${key} at ${time}: Prometheus ${text}, VictoriaMetrics no point`);
        continue;
      }
      const nans = [value, Number(other)].filter(Number.isNaN).length;
      const size = nans === 2 ? 0 : nans === 1 ? 1 : relative(value, Number(other));
      const allowance = context.rateAllowance?.(series.metric, time);
      if (size <= floatTolerance) comparison.equal += 1;
      else if (allowance !== undefined && Math.abs(value - Number(other)) <= allowance * (1 + floatTolerance)) {
        excuse('rate extrapolation', size);
      } else if (context.readsRecordedRates) excuse('recorded rates', size);
      else if (afterAnEnd(series.metric, time)) excuse('series end', size);
      else comparison.problems.push(`${where}: ${key} at ${time}: Prometheus ${text}, VictoriaMetrics ${other}`);
    }
    for (const [time, other] of twinPoints) {
      if (afterAnEnd(series.metric, time)) excuse('series end', 1);
      else comparison.problems.push(`${where}: ${key} at ${time}: VictoriaMetrics ${other}, Prometheus no point`);
    }
  }
  for (const [key, series] of victoriaByKey) {
    for (const [time, other] of pointsOf(series)) {
      if (afterAnEnd(series.metric, time)) excuse('series end', 1);
      else comparison.problems.push(`${where}: ${key} at ${time}: VictoriaMetrics ${other}, Prometheus no series`);
    }
  }
  comparison.problems = comparison.problems.slice(0, 10);
  return comparison;
}
