/**
 * The recording rules: off by default and then read by nothing; on, one group that runs first, named by the Prometheus
 * convention, each rule read by a dashboard or an alert, and (under promtool) recording the summed 5-minute rates.
 */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertArtifacts, recordedSeries, recordingRules, ruleGroups } from '../alerts';
import { resolveConfig } from '../config';
import { buildDashboards } from '../dashboards';
import { prometheusTargets } from '../fixtures/fleet/grafana';
import { outputFiles } from '../model/outputs';
import { runPromtool } from './alerts/promtool';

const on = resolveConfig({ recordingRules: true });
const off = resolveConfig({});
const recordedNames = recordedSeries(on).map((series) => series.name);

/** Every PromQL expression the build ships: dashboard targets and alert rules. */
function shippedExpressions(config: typeof on): string[] {
  const dashboards = buildDashboards(config).flatMap((dashboard) => prometheusTargets(dashboard).map((t) => t.expr));
  const groups = ruleGroups(config).filter((group) => group.name === 'flux');
  return [...dashboards, ...groups.flatMap((group) => group.rules.map((rule) => rule.expr))];
}

describe('recording rules', () => {
  it('are off by default: no recording group, and nothing reads a recorded series', () => {
    expect(recordingRules(off)).toEqual([]);
    expect(ruleGroups(off).map((group) => group.name)).toEqual(['flux']);
    const reads = shippedExpressions(off).filter((expr) => recordedNames.some((name) => expr.includes(name)));
    expect(reads).toEqual([]);
  });

  it('on, form one group that runs first, every minute, in both rule files', () => {
    const groups = ruleGroups(on);
    expect(groups.map((group) => group.name)).toEqual(['flux-recording', 'flux']);
    expect(groups[0]).toMatchObject({ interval: '1m' });
    const artifacts = alertArtifacts(on);
    const ruleFile = parse(artifacts.files.get(outputFiles.ruleFile)!) as { groups: unknown[] };
    const prometheusRule = parse(artifacts.manifests[0]!.yaml) as { spec: { groups: unknown[] } };
    expect(ruleFile.groups[0]).toEqual(groups[0]);
    expect(prometheusRule.spec.groups[0]).toEqual(groups[0]);
  });

  it('are named level:metric:operations, the level starting with the cluster when there is a cluster label', () => {
    for (const rule of recordingRules(on)) expect(rule.record).toMatch(/^cluster_[a-z_]+:[a-z_]+:rate5m$/);
    for (const rule of recordingRules(resolveConfig({ recordingRules: true, clusterLabel: null }))) {
      expect(rule.record).toMatch(/^(?!cluster_)[a-z_]+:[a-z_]+:rate5m$/);
    }
  });

  it('each record the raw rate a dashboard reads when they are off, over the fixed window, kept by cluster', () => {
    const raw = shippedExpressions(off).join('\n');
    for (const rule of recordingRules(on)) {
      const metric = /rate\((\w+)\{/.exec(rule.expr)?.[1];
      expect(metric, rule.expr).toBeDefined();
      expect(raw, `${rule.record} records ${metric}`).toContain(`rate(${metric}{`);
      expect(rule.expr).toContain('[5m])');
      expect(rule.expr).toMatch(/^sum by\(cluster, /);
    }
  });

  it('on, each is read by a dashboard or an alert, and nothing reads a series no rule records', () => {
    const shipped = shippedExpressions(on);
    for (const name of recordedNames) expect(shipped.some((expr) => expr.includes(name)), name).toBe(true);
    const read = new Set(shipped.flatMap((expr) => [...expr.matchAll(/\b\w+:\w+:rate\w+/g)].map((match) => match[0])));
    expect([...read].sort()).toEqual([...recordedNames].sort());
  });

  it('under promtool, record the rate summed over pods and objects by controller, queue or kind', async () => {
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
    const underASecond = { ...kustomize, le: '1' };
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
          series('controller_runtime_reconcile_time_seconds_bucket', { ...kustomize, pod: 'a', le: '1' }, '0+30x20'),
          series('controller_runtime_reconcile_time_seconds_bucket', { ...kustomize, pod: 'b', le: '1' }, '0+30x20'),
          series('workqueue_queue_duration_seconds_bucket', { ...queue, pod: 'a', le: '+Inf' }, '0+6x20'),
          // Two objects of one kind in one namespace: one recorded series per kind and namespace.
          series('gotk_reconcile_duration_seconds_count', { ...objects, pod: 'a', name: 'one' }, '0+30x20'),
          series('gotk_reconcile_duration_seconds_count', { ...objects, pod: 'a', name: 'two' }, '0+60x20'),
        ],
        promql_expr_test: [
          recorded('cluster_controller_result:controller_runtime_reconcile_total:rate5m', { ...succeeded }, 3),
          recorded('cluster_controller:controller_runtime_reconcile_time_seconds_bucket:rate5m', underASecond, 1),
          recorded('cluster_queue:workqueue_queue_duration_seconds_bucket:rate5m', { ...queue, le: '+Inf' }, 0.1),
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
