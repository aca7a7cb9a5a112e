/**
 * The recording rules: off by default and then read by nothing; on, one group that runs first, named by the Prometheus
 * convention, each rule read by a dashboard or an alert (what they record under promtool: recording-rules.e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertArtifacts, recordedSeries, recordingRules, ruleGroups } from '../../alerts';
import { resolveConfig } from '../../config';
import { buildDashboards } from '../../dashboards';
import { prometheusTargets } from '../../fixtures/fleet/grafana';
import { outputFiles } from '../../model/outputs';

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
    for (const rule of recordingRules(on)) expect(rule.record).toMatch(/^cluster_[a-z_]+:[a-z_]+:(p\d\d_)?rate5m$/);
    for (const rule of recordingRules(resolveConfig({ recordingRules: true, clusterLabel: null }))) {
      expect(rule.record).toMatch(/^(?!cluster_)[a-z_]+:[a-z_]+:(p\d\d_)?rate5m$/);
    }
  });

  it('each record the raw rate or quantile a dashboard reads when they are off, over the fixed window', () => {
    const raw = shippedExpressions(off).join('\n');
    for (const rule of recordingRules(on)) {
      const metric = /rate\((\w+)\{/.exec(rule.expr)?.[1];
      expect(metric, rule.expr).toBeDefined();
      expect(raw, `${rule.record} records ${metric}`).toContain(`rate(${metric}{`);
      expect(rule.expr).toContain('[5m])');
      // A quantile's rule names it in its record: p99 is `histogram_quantile(0.99, …)`.
      const quantile = /:p(\d\d)_rate5m$/.exec(rule.record)?.[1];
      const sum = 'sum by\\(cluster, .*';
      expect(rule.expr).toMatch(new RegExp(quantile ? `^histogram_quantile\\(0[.]${quantile}, ${sum}\\)$` : `^${sum}`));
    }
  });

  it('on, each is read by a dashboard or an alert, and nothing reads a series no rule records', () => {
    const shipped = shippedExpressions(on);
    for (const name of recordedNames) expect(shipped.some((expr) => expr.includes(name)), name).toBe(true);
    const names = (expr: string) => [...expr.matchAll(/\b\w+:\w+:(?:p\d\d_)?rate\w+/g)].map((match) => match[0]);
    const read = new Set(shipped.flatMap(names));
    expect([...read].sort()).toEqual([...recordedNames].sort());
  });
});
