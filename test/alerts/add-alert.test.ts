/**
 * A new alert through the public API, in one declaration: it reaches every rule output (the Prometheus rule file, the
 * PrometheusRule, the Grafana-managed rules), the runbooks dashboard's index and its own panel, and the docs table.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertingArtifacts, alertSet, alertsTable, durationText, durationWords, hours, minutes, runbookPanelId,
  type AlertDeclaration,
} from 'flux-dashboards/alerts';
import { resolveConfig } from 'flux-dashboards/config';
import { dashboardPanelIds, panelTitles } from 'flux-dashboards/dashboards';
import { dashboardFile, manifestFiles, outputFiles, runbooksDashboard } from 'flux-dashboards/model';
import { alertScope, objects, promQuery } from 'flux-dashboards/queries';

const config = resolveConfig({ alerts: { grafanaUrl: 'https://grafana.example.com' } });
const holds = minutes(30);

/** The whole of the new alert. */
const declaration: AlertDeclaration = {
  name: 'FluxTooManyObjects',
  severity: 'info',
  for: holds,
  query: promQuery(config, `${objects.objectCount(alertScope(config), 'any').expr} > 500`),
  panel: 'failingObjects',
  summary: `More than 500 Flux objects for ${durationWords(holds)}.`,
  description: 'The cluster holds {{ $value }} Flux objects.',
  dashboardUrl: 'https://grafana.example.com/d/flux-cluster',
  runbook: 'Split the cluster, or raise the controllers\' `--concurrent`.',
};

const alerts = alertSet(config, [declaration]);
const outputs = alertingArtifacts(config, dashboardPanelIds(config), alerts);

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; title?: string; for: string; annotations: Record<string, string> }> }>;
}
const rulesIn = (text: string | undefined, name: string) =>
  (parse(text ?? '') as RuleFile).groups
    .flatMap((group) => group.rules)
    .filter((rule) => (rule.alert ?? rule.title) === name);

describe('an alert added through the public API', () => {
  it('is a Prometheus alert beside the shipped ones, linking its runbook panel', () => {
    expect(alerts.prometheus.map((alert) => alert.name)).toContain(declaration.name);
    expect(alerts.loki.map((alert) => alert.name)).not.toContain(declaration.name);
    const added = alerts.prometheus.find((alert) => alert.name === declaration.name)!;
    expect(added.runbookUrl).toBe(
      `https://grafana.example.com/d/${runbooksDashboard.uid}?viewPanel=${runbookPanelId(declaration.name)}`,
    );
  });

  it('is in the Prometheus rule file and the PrometheusRule, with its for and annotations', () => {
    const [rule] = rulesIn(outputs.files.get(outputFiles.ruleFile), declaration.name);
    expect(rule?.for).toBe('30m');
    expect(rule?.annotations.summary).toBe('More than 500 Flux objects for 30 minutes.');
    const manifest = outputs.manifests.find((m) => m.file === manifestFiles.prometheusRule)!;
    const spec = (parse(manifest.yaml) as { spec: RuleFile }).spec;
    expect(rulesIn(JSON.stringify(spec), declaration.name)).toEqual([rule]);
  });

  it('is a Grafana-managed rule linking its panel', () => {
    const [rule] = rulesIn(outputs.files.get(outputFiles.grafanaAlertProvisioning), declaration.name);
    expect(rule?.annotations.__dashboardUid__).toBe('flux-cluster');
    expect(rule?.annotations.__panelId__).toBe(String(dashboardPanelIds(config).get('failingObjects')));
  });

  it('is in the runbooks dashboard: listed in its index, with a panel of its runbook', () => {
    expect(outputs.dashboards.map((d) => dashboardFile(d))).toEqual([dashboardFile(runbooksDashboard)]);
    const dashboard = JSON.parse(outputs.dashboards[0]!.json) as {
      panels: Array<{ id: number; title: string; options: { content: string } }>;
    };
    expect(dashboard.panels[0]!.options.content).toContain(
      `[${declaration.name}](?viewPanel=${runbookPanelId(declaration.name)})`,
    );
    const panel = dashboard.panels.find((p) => p.id === runbookPanelId(declaration.name));
    expect(panel?.title).toBe(declaration.name);
    expect(panel?.options.content).toBe(declaration.runbook);
  });

  it('is a row of the docs table', () => {
    expect(alertsTable(alerts, panelTitles(config))).toContain(
      `| [FluxTooManyObjects](runbooks/FluxTooManyObjects.md) | info | 30m | ${declaration.summary} | ` +
        'Flux Cluster Stats › Failing objects |',
    );
  });

  it('without a runbook of its own or a page, is refused, naming the page to write', () => {
    const { runbook: _, ...withoutRunbook } = declaration;
    const set = alertSet(config, [withoutRunbook]);
    expect(() => alertingArtifacts(config, dashboardPanelIds(config), set)).toThrow(
      /alert FluxTooManyObjects has no runbook: write docs\/runbooks\/FluxTooManyObjects\.md/,
    );
  });

  it('linking a panel the configuration lacks, is refused, naming the panel', () => {
    const operator = resolveConfig({ flavor: 'flux-operator' });
    const set = alertSet(operator, [{ ...declaration, panel: 'stalledObjects' }]);
    expect(() => alertingArtifacts(operator, dashboardPanelIds(operator), set)).toThrow(
      /alert FluxTooManyObjects links panel stalledObjects, which no dashboard of this configuration has/,
    );
  });
});

describe('durations', () => {
  it('are written as Prometheus writes them and said in words', () => {
    expect([minutes(0), minutes(5), minutes(90), hours(1), hours(24)].map(durationText)).toEqual([
      '0m', '5m', '90m', '1h', '24h',
    ]);
    expect([minutes(1), minutes(15), hours(1), hours(24)].map(durationWords)).toEqual([
      '1 minute', '15 minutes', '1 hour', '24 hours',
    ]);
  });
});
