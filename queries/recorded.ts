/**
 * Rates worth recording: the dear counters and histograms, as a fixed-window rate summed by the labels the dashboards
 * and alerts group and select by, or a histogram's quantile over that rate. A query reads one through `rateSum` (or
 * `quantileOf`), which gives the raw rate over the scope's interval or, when the scope reads recorded series, the
 * series the recording rule wrote; the rule's expression is that same function over the raw series, so the PromQL is
 * written once.
 */
import * as promql from '@grafana/promql-builder';
import type { MetricName } from '../model/catalogue';
import type { Scope } from './scope';
import { clusterBy, rateOf, selectSeries, type HistogramSeries, type Matchers } from './selector';

/** The window of every recorded rate: 5 minutes covers ten 30 s scrapes, or five at 60 s. */
export const recordedWindow = '5m';
/** How often the recording rules run: the dashboards' time series never step finer than a minute. */
export const recordingInterval = '1m';

export interface RecordedRate<M extends MetricName = MetricName> {
  metric: M;
  /** The histogram series recorded (`bucket`, `sum`, `count`); none for a counter. */
  series?: HistogramSeries;
  /** The aggregation level in the rule's name besides the cluster: `controller` in `cluster_controller:…`. */
  level: string;
  /** Labels kept besides the cluster label: every label a query groups or selects the recorded series by. */
  keeps: (scope: Scope) => string[];
  /** The matchers of the measure in the scope: the rule's in a rule's scope, the variables' on a dashboard. */
  matchers: (scope: Scope) => Matchers<M>;
  /**
   * Record this quantile of the histogram (`series: 'bucket'`) instead of its bucket rates: one series where the
   * buckets are a dozen to forty, read as recorded and never summed (a quantile does not add up).
   */
  quantile?: number;
}

const seriesName = <M extends MetricName>(rate: RecordedRate<M>) =>
  rate.series ? `${rate.metric}_${rate.series}` : rate.metric;

/** The operations part of a recorded name: `rate5m`, or `p99_rate5m` for a quantile over that rate. */
const operations = (rate: RecordedRate) =>
  `${rate.quantile === undefined ? '' : `p${Math.round(rate.quantile * 100)}_`}rate${recordedWindow}`;

/**
 * `level:metric:operations`, the Prometheus naming convention: `cluster_controller:…_count:rate5m`, and for a
 * quantile the histogram's name: `cluster_controller:controller_runtime_reconcile_time_seconds:p99_rate5m`.
 */
export function recordedName<M extends MetricName>(scope: Pick<Scope, 'clusterLabel'>, rate: RecordedRate<M>): string {
  const level = [...(scope.clusterLabel ? ['cluster'] : []), rate.level].join('_');
  return `${level}:${rate.quantile === undefined ? seriesName(rate) : rate.metric}:${operations(rate)}`;
}

/** Every label a recorded series carries: the cluster label, then what the rule keeps. */
export const recordedLabels = <M extends MetricName>(scope: Scope, rate: RecordedRate<M>) => [
  ...clusterBy(scope),
  ...rate.keeps(scope),
];

type AnyMatchers = Parameters<typeof selectSeries>[2];

const matchersOf = <M extends MetricName>(scope: Scope, rate: RecordedRate<M>, narrower: Matchers<M>) =>
  ({ ...(rate.matchers(scope) as AnyMatchers), ...(narrower as AnyMatchers) }) as AnyMatchers;

/** The recorded series of the measure, narrowed; an error names a label asked for that the rule does not keep. */
function recordedSelector<M extends MetricName>(
  scope: Scope, rate: RecordedRate<M>, by: string[], narrower: Matchers<M>,
) {
  const matchers = matchersOf(scope, rate, narrower);
  const kept = new Set(recordedLabels(scope, rate));
  // A fixed matcher on a label the rule drops (the Flux Operator's pod) was applied by the rule itself.
  const applied = (label: string) => !kept.has(label) && !matchers[label]?.value.includes('$');
  const missing = [...by, ...Object.keys(matchers)].filter((label) => !kept.has(label) && !applied(label));
  if (missing.length > 0) throw new Error(`${recordedName(scope, rate)} does not keep ${missing.join(', ')}`);
  const onKept = Object.fromEntries(Object.entries(matchers).filter(([label]) => kept.has(label)));
  return selectSeries(scope, recordedName(scope, rate), onKept);
}

/** The raw per-second rate of the measure over the scope's rate interval, summed by `by`. */
const rawRateSum = <M extends MetricName>(scope: Scope, rate: RecordedRate<M>, by: string[], narrower: Matchers<M>) =>
  promql.sum(rateOf(selectSeries(scope, seriesName(rate), matchersOf(scope, rate, narrower)), scope)).by(by);

/**
 * The per-second rate of the measure summed by `by`: over the raw series and the scope's rate interval, or read
 * from the recorded series when the scope says so. `narrower` adds matchers on labels the rule keeps.
 */
export function rateSum<M extends MetricName>(
  scope: Scope, rate: RecordedRate<M>, by: string[], narrower: Matchers<M> = {},
): promql.AggregationExprBuilder {
  if (rate.quantile !== undefined) throw new Error(`${recordedName(scope, rate)} is a quantile: read it by quantileOf`);
  if (!scope.recorded) return rawRateSum(scope, rate, by, narrower);
  return promql.sum(recordedSelector(scope, rate, by, narrower)).by(by);
}

/**
 * The histogram's quantile per group of `by`: over the raw buckets' rate, or read from the recorded quantile, whose
 * groups `by` may only gather where they hold one series each (the largest is kept where several Flux namespaces
 * run one controller: a quantile cannot be summed).
 */
export function quantileOf<M extends MetricName>(
  scope: Scope, rate: RecordedRate<M> & { quantile: number }, by: string[], narrower: Matchers<M> = {},
): promql.FuncCallExprBuilder | promql.AggregationExprBuilder {
  if (scope.recorded) return promql.max(recordedSelector(scope, rate, by, narrower)).by(by);
  return promql.histogramQuantile(rate.quantile, rawRateSum(scope, rate, [...by, 'le'], narrower));
}

/** The window a rate read in the scope covers: the recorded window, or the scope's own rate interval. */
export const rateWindow = (scope: Scope) => (scope.recorded ? recordedWindow : scope.rateInterval);

export interface RecordingRule {
  record: string;
  expr: string;
}

/** The rule recording the rate or quantile: its query over the raw series in the rule's scope, by every label kept. */
export function recordingRule<M extends MetricName>(ruleScope: Scope, rate: RecordedRate<M>): RecordingRule {
  const raw: Scope = { ...ruleScope, recorded: false, rateInterval: recordedWindow };
  const by = recordedLabels(raw, rate);
  const { quantile } = rate;
  const expr = quantile === undefined ? rateSum(raw, rate, by) : quantileOf(raw, { ...rate, quantile }, by);
  return { record: recordedName(raw, rate), expr: expr.toString() };
}
