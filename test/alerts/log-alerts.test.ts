/**
 * The log alert rules: each LogQL query parses, reads the streams of the configured Loki preset, and evaluated over
 * three hours of real Flux log lines fires for exactly the controllers made to trip it, as the Loki rule file and as
 * Grafana-managed rules.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertSet, durationText, grafanaRuleGroups, logAlertRules, lokiArtifacts, lokiRuleFile,
} from '../../alerts';
import { resolveConfig, type Config } from '../../config';
import { dashboardPanelIds } from '../../dashboards';
import { alertScope, logs, logAlerts } from '../../queries';
import {
  controllerLogs,
  crashLines,
  expectedAlerts,
  logEnd,
  logStreams,
  recoveredPanicLine,
} from '../../fixtures/fleet/flux-log-streams';
import {
  fluxLogEntries,
  fluxLogLines,
  logPipelines,
  reconciliationFailureLines,
  unparsedLines,
} from '../../fixtures/fleet/flux-logs';
import { conditionOf, queryExprOf } from '../helpers/grafana-condition';
import { logqlParseProblems, runLogql } from '../helpers/logql';
import { evaluateLogql, type Sample } from '../helpers/logql-metrics';

const setups: Array<{ name: string; config: Config }> = [
  ...logPipelines.flatMap((preset) => [
    { name: `${preset}, cluster label`, config: resolveConfig({ loki: { preset } }) },
    { name: `${preset}, no cluster label`, config: resolveConfig({ loki: { preset }, clusterLabel: null }) },
  ]),
  { name: 'promtail, Flux in gitops-system', config: resolveConfig({ namespace: 'gitops-system' }) },
];

describe.each(setups)('log alert rules ($name)', ({ config }) => {
  const rules = logAlertRules(config);
  const scope = alertScope(config);
  const streams = logStreams(config.loki.preset, { namespace: config.namespace, clusterLabel: config.clusterLabel });
  const controllerLabel = logs.controllerNameLabel(scope);
  /** `cluster/controller` of each series: named by Deployment on every preset, never by pod. */
  const firing = (samples: Sample[]) =>
    samples
      .map((sample) => {
        const controller = sample.labels[controllerLabel]!;
        expect(controllerLogs.map((c) => c.deployment)).toContain(controller);
        return `${config.clusterLabel ? sample.labels[config.clusterLabel] : 'prod'}/${controller}`;
      })
      .sort();

  it('has the three log alerts, each query parsing as LogQL and selecting the logs dashboard’s streams', () => {
    expect(rules.map((rule) => rule.name)).toEqual(Object.keys(expectedAlerts));
    const selector = logs.controllerStreams(scope, '.+');
    for (const rule of rules) {
      expect(rule.query.language).toBe('logql');
      expect(logqlParseProblems(rule.query.expr), rule.name).toEqual([]);
      expect(rule.query.expr, rule.name).toContain(selector);
      // No Grafana variable: an alert has no dashboard to fill one in.
      expect(rule.query.expr).not.toMatch(/\$(\w|\{)/);
    }
  });

  it.each(Object.entries(expectedAlerts))('%s fires for exactly the controllers made so', (alert, expected) => {
    const rule = rules.find((r) => r.name === alert)!;
    const samples = evaluateLogql(rule.query.expr, streams, logEnd);
    expect(firing(samples)).toEqual([...expected]);
  });

  it('as Grafana-managed rules over Loki, query A and condition B fire for the same controllers', () => {
    const grafana = { prometheusDatasourceUid: 'prom', lokiDatasourceUid: 'loki' };
    const group = grafanaRuleGroups(config, grafana, alertSet(config), dashboardPanelIds(config)).groups.find(
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
      const samples = evaluateLogql(rule.query.expr, streams, logEnd);
      const used = [...`${rule.description}${rule.dashboardUrl}`.matchAll(/\$labels\.(\w+)/g)].map((m) => m[1]!);
      for (const sample of samples)
        for (const label of used) expect(sample.labels[label], `${rule.name}: ${label}`).toBeDefined();
    }
  });

  it('an hour earlier, before the burst, the panics and the silence, nothing fires', () => {
    for (const rule of rules)
      expect(evaluateLogql(rule.query.expr, streams, logEnd - 3600 + 600), rule.name).toEqual([]);
  });

  it('writes them as a Loki rule file in the Prometheus rule-file format', () => {
    const file = parse(lokiArtifacts(alertSet(config)).get(lokiRuleFile)!) as {
      groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
    };
    expect(file.groups.map((group) => group.name)).toEqual(['flux-logs']);
    expect(file.groups[0]!.rules.map((rule) => [rule.alert, rule.expr, rule.for])).toEqual(
      rules.map((rule) => [rule.name, rule.query.expr, durationText(rule.for)]),
    );
    for (const rule of file.groups[0]!.rules) {
      expect(Object.keys(rule)).toEqual(['alert', 'expr', 'for', 'labels', 'annotations']);
      const annotations = ['summary', 'description', 'dashboard_url', 'runbook_url'];
      expect(Object.keys(rule.annotations as object)).toEqual(annotations);
    }
  });
});

describe('the lines the log alerts look for', () => {
  const scope = alertScope(resolveConfig());
  const panicRegex = new RegExp(logAlerts.panicMarkers.join('|'));

  it('panic markers match a crash’s first line and a recovered panic, and no other Flux line', () => {
    expect(crashLines.filter((line) => panicRegex.test(line))).toEqual([crashLines[0]]);
    expect(panicRegex.test(recoveredPanicLine)).toBe(true);
    const panics = unparsedLines.filter((line) => line.startsWith('panic: '));
    expect(panics.length).toBeGreaterThan(0);
    expect(fluxLogLines.filter((line) => panicRegex.test(line))).toEqual(panics);
  });

  it('the failure burst counts exactly the lines the logs dashboard shows as reconciliation failures', () => {
    const burst = logAlerts.reconciliationFailureBurst(scope, '10m', 10).expr;
    expect(burst).toContain(logs.controllerFailureLines(scope, '.+'));
    const lines = runLogql(logs.controllerFailureLines(scope, '.+'), fluxLogEntries('promtail'));
    expect(lines.type === 'lines' && lines.lines.map(({ entry }) => entry.line)).toEqual([
      ...reconciliationFailureLines,
    ]);
  });
});
