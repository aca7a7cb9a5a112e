/**
 * Rates worth recording: the dear counters and histograms, as a fixed-window rate summed by the labels the dashboards
 * and alerts group and select by. A query reads one through `rateSum`, which gives the raw rate over the scope's
 * interval or, when the scope reads recorded series, the series the recording rule wrote; the rule's expression is
 * that same `rateSum` over the raw series, so the PromQL is written once.
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
}

const seriesName = <M extends MetricName>(rate: RecordedRate<M>) =>
  rate.series ? `${rate.metric}_${rate.series}` : rate.metric;

/** `level:metric:operations`, the Prometheus naming convention: `cluster_controller:…_bucket:rate5m`. */
export function recordedName<M extends MetricName>(scope: Pick<Scope, 'clusterLabel'>, rate: RecordedRate<M>): string {
  const level = [...(scope.clusterLabel ? ['cluster'] : []), rate.level].join('_');
  return `${level}:${seriesName(rate)}:rate${recordedWindow}`;
}

/** Every label a recorded series carries: the cluster label, then what the rule keeps (and `le` of a bucket). */
export const recordedLabels = <M extends MetricName>(scope: Scope, rate: RecordedRate<M>) => [
  ...clusterBy(scope),
  ...rate.keeps(scope),
];

type AnyMatchers = Parameters<typeof selectSeries>[2];

/**
 * The per-second rate of the measure summed by `by`: over the raw series and the scope's rate interval, or read
 * from the recorded series when the scope says so. `narrower` adds matchers on labels the rule keeps.
 */
export function rateSum<M extends MetricName>(
  scope: Scope, rate: RecordedRate<M>, by: string[], narrower: Matchers<M> = {},
): promql.AggregationExprBuilder {
  const matchers: AnyMatchers = { ...(rate.matchers(scope) as AnyMatchers), ...(narrower as AnyMatchers) };
  if (!scope.recorded) return promql.sum(rateOf(selectSeries(scope, seriesName(rate), matchers), scope)).by(by);
  const kept = new Set(recordedLabels(scope, rate));
  // A fixed matcher on a label the rule drops (the Flux Operator's pod) was applied by the rule itself.
  const applied = (label: string) => !kept.has(label) && !matchers[label]?.value.includes('$');
  const missing = [...by, ...Object.keys(matchers)].filter((label) => !kept.has(label) && !applied(label));
  if (missing.length > 0) throw new Error(`${recordedName(scope, rate)} does not keep ${missing.join(', ')}`);
  const onKept = Object.fromEntries(Object.entries(matchers).filter(([label]) => kept.has(label)));
  return promql.sum(selectSeries(scope, recordedName(scope, rate), onKept)).by(by);
}

/** The window a rate read in the scope covers: the recorded window, or the scope's own rate interval. */
export const rateWindow = (scope: Scope) => (scope.recorded ? recordedWindow : scope.rateInterval);

export interface RecordingRule {
  record: string;
  expr: string;
}

/** The rule that records the rate: `rateSum` over the raw series in the rule's scope, by every label it keeps. */
export function recordingRule<M extends MetricName>(ruleScope: Scope, rate: RecordedRate<M>): RecordingRule {
  const raw: Scope = { ...ruleScope, recorded: false, rateInterval: recordedWindow };
  return { record: recordedName(raw, rate), expr: rateSum(raw, rate, recordedLabels(raw, rate)).toString() };
}
