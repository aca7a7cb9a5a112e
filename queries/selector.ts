import * as promql from '@grafana/promql-builder';
import { catalogue, type LabelOf, type MetricName } from '../model/catalogue';
import type { Scope } from './scope';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  op: MatchOp;
  value: string;
}
export const eq = (value: string): Matcher => ({ op: '=', value });
export const ne = (value: string): Matcher => ({ op: '!=', value });
export const re = (value: string): Matcher => ({ op: '=~', value });
export const nre = (value: string): Matcher => ({ op: '!~', value });

export type Matchers<M extends MetricName> = Partial<Record<LabelOf<M>, Matcher>>;
export type HistogramSeries = 'bucket' | 'sum' | 'count';

type HistogramName = { [M in MetricName]: (typeof catalogue)[M]['type'] extends 'histogram' ? M : never }[MetricName];

function vectorOf(name: string, scope: Scope, matchers: Record<string, Matcher | undefined>): promql.VectorExprBuilder {
  const vector = promql.vector(name);
  if (scope.clusterLabel && scope.cluster !== null) vector.labelMatchRegexp(scope.clusterLabel, scope.cluster);
  for (const [label, matcher] of Object.entries(matchers)) {
    if (!matcher) continue;
    const apply = {
      '=': () => vector.label(label, matcher.value),
      '!=': () => vector.labelNeq(label, matcher.value),
      '=~': () => vector.labelMatchRegexp(label, matcher.value),
      '!~': () => vector.labelNotMatchRegexp(label, matcher.value),
    }[matcher.op];
    apply();
  }
  return vector;
}

/**
 * A selector of a series by name, for names the catalogue derives (a recorded series, a histogram's `_bucket`): the
 * cluster matcher first, then the given matchers.
 */
export function selectSeries(
  scope: Scope,
  name: string,
  matchers: Record<string, Matcher | undefined>,
): promql.VectorExprBuilder {
  return vectorOf(name, scope, matchers);
}

/** A selector of a catalogued metric: the cluster matcher first, then the given matchers. */
export function select<M extends MetricName>(
  scope: Scope,
  metric: M,
  matchers: Matchers<M> = {},
): promql.VectorExprBuilder {
  return vectorOf(metric, scope, matchers);
}

/** A selector of one series of a catalogued histogram (`_bucket`, `_sum`, `_count`). */
export function selectHistogram<M extends HistogramName>(
  scope: Scope,
  metric: M,
  series: HistogramSeries,
  matchers: Matchers<M> = {},
): promql.VectorExprBuilder {
  return vectorOf(`${metric}_${series}`, scope, matchers);
}

/** `rate(selector[window])` over the scope's rate interval. */
export function rateOf(selector: promql.VectorExprBuilder, scope: Scope): promql.FuncCallExprBuilder {
  return promql.rate(selector.range(scope.rateInterval));
}

/** The labels that name a cluster in a `by (...)` clause: the cluster label, when there is one. */
export function clusterBy(scope: Scope): string[] {
  return scope.clusterLabel ? [scope.clusterLabel] : [];
}

/**
 * `label_replace` with its string arguments quoted: @grafana/promql-builder 0.0.6 prints string literals bare, which
 * Prometheus rejects.
 */
export function labelReplace(
  expr: Parameters<typeof promql.labelReplace>[0],
  destination: string,
  replacement: string,
  source: string,
  regex: string,
): promql.FuncCallExprBuilder {
  const quote = (text: string) => JSON.stringify(text);
  return promql.labelReplace(expr, quote(destination), quote(replacement), quote(source), quote(regex));
}
