/**
 * The log alert rules: each LogQL query parses, reads the streams of the configured Loki preset, and evaluated over
 * three hours of real Flux log lines fires for exactly the controllers made to trip it, as the Loki rule file and as
 * Grafana-managed rules.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { grafanaRuleGroups, logAlertRules, lokiArtifacts, lokiRuleFile } from '../alerts';
import { lokiPresets, resolveConfig, type Config } from '../config';
import { buildDashboards } from '../dashboards';
import { alertScope, logs, logAlerts } from '../queries';
import {
  controllerLogs,
  crashLines,
  expectedAlerts,
  logEnd,
  logStreams,
  recoveredPanicLine,
} from './fleet/flux-log-streams';
import { fluxLogLines } from './fleet/flux-logs';
import { conditionOf, queryExprOf } from './helpers/grafana-condition';
import { logqlParseProblems } from './helpers/logql';
import { evaluateLogql, type Sample } from './helpers/logql-metrics';

const setups: Array<{ name: string; config: Config }> = [
  ...(Object.keys(lokiPresets) as Array<keyof typeof lokiPresets>).flatMap((preset) => [
    { name: `${preset}, cluster label`, config: resolveConfig({ loki: { preset } }) },
    { name: `${preset}, no cluster label`, config: resolveConfig({ loki: { preset }, clusterLabel: null }) },
  ]),
  { name: 'promtail, Flux in gitops-system', config: resolveConfig({ namespace: 'gitops-system' }) },
];

describe.each(setups)('log alert rules ($name)', ({ config }) => {
  const rules = logAlertRules(config);
  const scope = alertScope(config);
  const shipper = { ...scope.loki, clusterLabel: config.clusterLabel };
  const streams = logStreams(shipper, config.namespace);
  /** `cluster/controller` of each series; the controller named by Deployment whatever the stream label. */
  const firing = (samples: Sample[]) =>
    samples
      .map((sample) => {
        const controller = sample.labels[logAlerts.controllerNameLabel] ?? sample.labels[shipper.controllerLabel]!;
        const deployment = controllerLogs.find(
          (c) => c.deployment === controller || c.pods.includes(controller),
        )!.deployment;
        const cluster = config.clusterLabel ? sample.labels[config.clusterLabel] : 'prod';
        return `${cluster}/${deployment}`;
      })
      .sort();

  it('has the three log alerts, each query parsing as LogQL and selecting the logs dashboard’s streams', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(Object.keys(expectedAlerts));
    const selector = logs.streamSelector(scope, '.+');
    for (const rule of rules) {
      expect(rule.expr.language).toBe('logql');
      expect(logqlParseProblems(rule.expr.expr), rule.alert).toEqual([]);
      expect(rule.expr.expr, rule.alert).toContain(selector);
      expect(rule.expr.expr).not.toMatch(/\$(?!1")/);
    }
  });

  it.each(Object.entries(expectedAlerts))('%s fires for exactly the controllers made so', (alert, expected) => {
    const rule = rules.find((r) => r.alert === alert)!;
    const samples = evaluateLogql(rule.expr.expr, streams, logEnd);
    expect(firing(samples)).toEqual([...expected]);
  });

  it('as Grafana-managed rules over Loki, query A and condition B fire for the same controllers', () => {
    const grafana = { prometheusDatasourceUid: 'prom', lokiDatasourceUid: 'loki' };
    const group = grafanaRuleGroups(config, grafana, buildDashboards(config)).groups.find(
      (g) => g.title === 'flux-logs',
    )!;
    expect(group.rules!.map((rule) => rule.title)).toEqual(Object.keys(expectedAlerts));
    for (const grafanaRule of group.rules!) {
      const condition = conditionOf(grafanaRule);
      const samples = evaluateLogql(queryExprOf(grafanaRule, condition.ref), streams, logEnd);
      const fired = samples.filter((sample) => condition.fires(sample.value));
      expect(firing(fired), grafanaRule.title).toEqual([
        ...expectedAlerts[grafanaRule.title as keyof typeof expectedAlerts],
      ]);
    }
  });

  it('names in its annotations only labels its result carries', () => {
    for (const rule of rules) {
      const samples = evaluateLogql(rule.expr.expr, streams, logEnd);
      const used = [...`${rule.description}${rule.dashboardUrl}`.matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]!);
      for (const sample of samples)
        for (const label of used) expect(sample.labels[label], `${rule.alert}: ${label}`).toBeDefined();
    }
  });

  it('an hour earlier, before the burst, the panics and the silence, nothing fires', () => {
    for (const rule of rules)
      expect(evaluateLogql(rule.expr.expr, streams, logEnd - 3600 + 600), rule.alert).toEqual([]);
  });

  it('writes them as a Loki rule file in the Prometheus rule-file format', () => {
    const file = parse(lokiArtifacts(config).get(lokiRuleFile)!) as {
      groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
    };
    expect(file.groups.map((group) => group.name)).toEqual(['flux-logs']);
    expect(file.groups[0]!.rules.map((rule) => [rule.alert, rule.expr, rule.for])).toEqual(
      rules.map((rule) => [rule.alert, rule.expr.expr, rule.for]),
    );
    for (const rule of file.groups[0]!.rules) {
      expect(Object.keys(rule)).toEqual(['alert', 'expr', 'for', 'labels', 'annotations']);
      expect(Object.keys(rule.annotations as object)).toEqual(['summary', 'description', 'dashboard_url']);
    }
  });
});

describe('the lines the log alerts look for', () => {
  const scope = alertScope(resolveConfig());
  const panicRegex = new RegExp(logAlerts.panicMarkers.join('|'));
  const failureRegex = new RegExp(logs.reconciliationFailureMessages.join('|'));

  it('panic markers match a crash’s first line and a recovered panic, and no ordinary Flux line', () => {
    expect(crashLines.filter((line) => panicRegex.test(line))).toEqual([crashLines[0]]);
    expect(panicRegex.test(recoveredPanicLine)).toBe(true);
    expect(fluxLogLines.filter((line) => panicRegex.test(line))).toEqual([]);
  });

  it('the failure burst counts the lines the logs dashboard shows as reconciliation failures', () => {
    const burst = logAlerts.reconciliationFailureBurst(scope, '10m', 10).expr;
    expect(burst).toContain(JSON.stringify(logs.reconciliationFailureMessages.join('|')));
    expect(fluxLogLines.filter((line) => failureRegex.test(line)).length).toBe(4);
  });

  it('the controller name comes whole from a Deployment name and from a pod name', () => {
    const name = new RegExp(`^(?:${logAlerts.controllerFromPodName})$`);
    for (const controller of controllerLogs) {
      expect(name.exec(controller.deployment)![1]).toBe(controller.deployment);
      for (const pod of controller.pods) expect(name.exec(pod)![1], pod).toBe(controller.deployment);
    }
  });
});
