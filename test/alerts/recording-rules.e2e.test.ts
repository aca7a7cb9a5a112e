/**
 * What the recording rules record, under promtool: the summed 5-minute rates by controller, queue or kind, and the
 * p99 of reconcile time and queue wait over the buckets of every replica.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ruleGroups } from '../../alerts';
import { resolveConfig } from '../../config';
import { runPromtool } from './promtool';

const on = resolveConfig({ recordingRules: true });

describe('recording rules', () => {
  it('under promtool, record rates summed over pods and objects by controller, queue or kind, or a p99', async () => {
    const selector = (name: string, labels: Record<string, string>) =>
      `${name}{${Object.entries({ cluster: 'prod', ...labels }).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
    const series = (name: string, labels: Record<string, string>, values: string) =>
      ({ series: selector(name, labels), values });
    /** The one series the rule records at 10 minutes, by its labels. */
    const recorded = (name: string, labels: Record<string, string>, value: number) => ({
      expr: name,
      eval_time: '10m',
      exp_samples: [{ labels: selector(name, labels), value }],
    });
    const flux = { namespace: 'flux-system' };
    const kustomize = { ...flux, controller: 'kustomization' };
    const succeeded = { ...kustomize, result: 'success' };
    const queue = { ...flux, name: 'kustomization' };
    const objects = { ...flux, exported_namespace: 'apps', kind: 'Kustomization' };
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          // Two replicas: 60 and 120 a minute, 3 a second together.
          series('controller_runtime_reconcile_total', { ...succeeded, pod: 'a' }, '0+60x20'),
          series('controller_runtime_reconcile_total', { ...succeeded, pod: 'b' }, '0+120x20'),
          // Another namespace's controller-runtime is not Flux: not recorded.
          series('controller_runtime_reconcile_total', { namespace: 'other', pod: 'c', controller: 'x' }, '0+60x20'),
          series('controller_runtime_reconcile_panics_total', { ...kustomize, pod: 'a' }, '0+6x20'),
          // Half the reconciliations under 0.5 s, all under 1 s, on two replicas: the p99 is 0.99 s, interpolated.
          ...['a', 'b'].flatMap((pod) => [
            series('controller_runtime_reconcile_time_seconds_bucket', { ...kustomize, pod, le: '0.5' }, '0+15x20'),
            series('controller_runtime_reconcile_time_seconds_bucket', { ...kustomize, pod, le: '1' }, '0+30x20'),
            series('controller_runtime_reconcile_time_seconds_bucket', { ...kustomize, pod, le: '+Inf' }, '0+30x20'),
          ]),
          // Half the items wait over 0.1 s: the p99 falls in the last bucket, and is its lower bound.
          series('workqueue_queue_duration_seconds_bucket', { ...queue, pod: 'a', le: '0.1' }, '0+3x20'),
          series('workqueue_queue_duration_seconds_bucket', { ...queue, pod: 'a', le: '+Inf' }, '0+6x20'),
          series('workqueue_adds_total', { ...queue, pod: 'a' }, '0+12x20'),
          // Two objects of one kind in one namespace: one recorded series per kind and namespace.
          series('gotk_reconcile_duration_seconds_count', { ...objects, pod: 'a', name: 'one' }, '0+30x20'),
          series('gotk_reconcile_duration_seconds_count', { ...objects, pod: 'a', name: 'two' }, '0+60x20'),
        ],
        promql_expr_test: [
          recorded('cluster_controller_result:controller_runtime_reconcile_total:rate5m', { ...succeeded }, 3),
          recorded('cluster_controller:controller_runtime_reconcile_panics_total:rate5m', kustomize, 0.1),
          recorded('cluster_controller:controller_runtime_reconcile_time_seconds:p99_rate5m', kustomize, 0.99),
          recorded('cluster_queue:workqueue_adds_total:rate5m', queue, 0.2),
          recorded('cluster_queue:workqueue_queue_duration_seconds:p99_rate5m', queue, 0.1),
          recorded('cluster_kind:gotk_reconcile_duration_seconds_count:rate5m', objects, 1.5),
        ],
      }],
    };
    const rules = stringify({ groups: ruleGroups(on) }, { lineWidth: 0 });
    const files = { 'rules.yaml': rules, 'tests.yaml': stringify(tests, { lineWidth: 0 }) };
    const result = await runPromtool(files, ['test', 'rules', 'tests.yaml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });
});
