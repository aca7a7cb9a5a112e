/** The generated rule files: valid for promtool, complete annotations, links into real dashboards, per-flavour metrics. */
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertArtifacts } from '../alerts';
import { resolveConfig, type Config } from '../config';
import { buildDashboards } from '../dashboards';
import { dashboardIdentities, isAtLeast } from '../model';
import { manifestFiles, outputFiles } from '../model/outputs';
import { promtool, runPromtool } from './alerts/promtool';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}

const configs: Array<{ title: string; config: Config }> = [
  { title: 'kube-state-metrics, cluster label', config: resolveConfig({ alerts: { grafanaUrl: 'https://grafana.example.com' } }) },
  { title: 'legacy on Flux 2.0, cluster label', config: resolveConfig({ flavor: 'legacy', fluxVersion: '2.0' }) },
  { title: 'kube-state-metrics, no cluster label', config: resolveConfig({ clusterLabel: null }) },
  {
    title: 'legacy on Flux 2.4, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'legacy', clusterLabel: null, objectNamespaceLabel: 'namespace' }),
  },
  { title: 'flux-operator, cluster label', config: resolveConfig({ flavor: 'flux-operator' }) },
  {
    title: 'flux-operator, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'flux-operator', clusterLabel: null, objectNamespaceLabel: 'namespace' }),
  },
  { title: 'kube-state-metrics, cluster label, recording rules', config: resolveConfig({ recordingRules: true }) },
];

const ruleFileOf = (config: Config) => parse(alertArtifacts(config).files.get(outputFiles.ruleFile)!) as RuleFile;
/** The alerting rules (the recording group, when on, has none). */
const rulesOf = (config: Config) =>
  ruleFileOf(config).groups.filter((group) => group.name === 'flux').flatMap((group) => group.rules);

describe.each(configs)('alert rule files ($title)', ({ config }) => {
  const artifacts = alertArtifacts(config);
  const rules = rulesOf(config);

  it('writes the rule file and the PrometheusRule, the same bytes on every run', () => {
    expect([...artifacts.files.keys()]).toEqual([outputFiles.ruleFile]);
    expect(artifacts.manifests.map((manifest) => manifest.file)).toEqual([manifestFiles.prometheusRule]);
    expect(alertArtifacts(config)).toEqual(artifacts);
  });

  it('passes promtool check rules, as a rule file and as the PrometheusRule spec', async () => {
    const prometheusRule = parse(artifacts.manifests[0]!.yaml) as { apiVersion: string; kind: string; spec: RuleFile };
    expect(prometheusRule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(prometheusRule.kind).toBe('PrometheusRule');
    expect(prometheusRule.spec).toEqual(ruleFileOf(config));
    const ruleFile = artifacts.files.get(outputFiles.ruleFile)!;
    const files = { 'flux-alerts.yaml': ruleFile, 'prometheusrule-spec.yaml': stringify(prometheusRule.spec) };
    const result = await runPromtool(files, ['check', 'rules', ...Object.keys(files)]);
    expect(result.status, result.output).toBe(0);
    const recording = ruleFileOf(config).groups.filter((group) => group.name !== 'flux').flatMap((g) => g.rules);
    expect(result.output).toContain(`SUCCESS: ${rules.length + recording.length} rules found`);
  });

  it('gives every rule a severity, a plain one-sentence summary, a description and a dashboard link', () => {
    for (const rule of rules) {
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      expect(rule.annotations.summary, rule.alert).not.toContain('{{');
      expect(rule.annotations.summary, rule.alert).toMatch(/^[A-Z][^]*\.$/);
      expect(rule.annotations.summary!.slice(0, -1), rule.alert).not.toMatch(/\.\s/);
      expect(rule.annotations.description, rule.alert).toMatch(/\{\{ \$labels\.\w+ \}\}/);
    }
  });

  it('names the cluster in descriptions and links exactly when there is a cluster label', () => {
    for (const rule of rules) {
      const mentionsCluster = /\$labels\.cluster\b/;
      // FluxSystemDown's "no target anywhere" branch has no cluster to name; its other branch does.
      expect(mentionsCluster.test(rule.annotations.description!), rule.alert).toBe(config.clusterLabel !== null);
      expect(rule.annotations.dashboard_url!.includes('var-cluster='), rule.alert).toBe(config.clusterLabel !== null);
    }
  });

  it('names kind, namespace and name of the object in object alerts', () => {
    const objectRules = rules.filter((rule) => rule.annotations.dashboard_url!.includes(`/d/${dashboardIdentities.cluster.uid}?`));
    expect(objectRules.length).toBeGreaterThanOrEqual(5);
    for (const rule of objectRules) {
      for (const label of ['name', ...(rule.expr.includes('customresource_kind') ? ['customresource_kind', 'exported_namespace'] : ['kind'])]) {
        expect(rule.annotations.description, `${rule.alert} names ${label}`).toContain(`{{ $labels.${label} }}`);
      }
    }
  });

  it('links only to dashboards the build makes, with variables those dashboards have', () => {
    const dashboards = new Map(buildDashboards(config).map((dashboard) => [dashboard.uid, dashboard]));
    for (const rule of rules) {
      const url = new URL(rule.annotations.dashboard_url!.replace(/\{\{[^}]*\}\}/g, 'x'));
      expect(`${url.origin}${url.pathname.replace(/\/d\/.*$/, '')}`).toBe(config.alerts.grafanaUrl.replace(/\/+$/, ''));
      const uid = url.pathname.split('/d/')[1]!;
      const dashboard = dashboards.get(uid);
      expect(dashboard, `${rule.alert} links to ${uid}`).toBeDefined();
      const variables = ((dashboard!.templating as { list: Array<{ name: string }> }).list ?? []).map((variable) => variable.name);
      for (const name of url.searchParams.keys()) expect(variables, `${rule.alert}: ${name}`).toContain(name.replace(/^var-/, ''));
    }
  });

  it('reads readiness from the flavour’s metrics', () => {
    const exprs = rules.map((rule) => rule.expr).join('\n');
    if (config.flavor === 'legacy') {
      expect(exprs).toContain('gotk_reconcile_condition');
      expect(exprs).toContain('gotk_suspend_status');
      expect(exprs).not.toContain('gotk_resource_info');
      // The legacy metrics carry neither a Stalled condition nor a Ready reason.
      expect(rules.map((rule) => rule.alert)).not.toContain('FluxReconciliationStalled');
      expect(rules.map((rule) => rule.alert)).not.toContain('FluxSourceArtifactFailed');
      // helm-controller wrote legacy readiness until Flux 2.1 (the legacy default is 2.4).
      const helmReleaseRule = rules.some((rule) => rule.alert === 'FluxHelmReleaseNotReady');
      expect(helmReleaseRule).toBe(isAtLeast('2.1', config.fluxVersion));
    } else if (config.flavor === 'flux-operator') {
      expect(exprs).toContain('flux_resource_info');
      expect(exprs).toContain('suspended="True"');
      expect(exprs).not.toMatch(/gotk_resource_info|gotk_reconcile_condition|gotk_suspend_status/);
      // flux_resource_info has no Stalled condition; its Ready reason is `reason`.
      expect(rules.map((rule) => rule.alert)).not.toContain('FluxReconciliationStalled');
      expect(rules.find((rule) => rule.alert === 'FluxSourceArtifactFailed')?.expr).toContain('reason=~"ArtifactFailed|SourceNotReady"');
    } else {
      expect(exprs).toContain('gotk_resource_info');
      expect(exprs).not.toMatch(/gotk_reconcile_condition|gotk_suspend_status|flux_resource_info/);
    }
  });

  it('never detects failures from kustomize-controller error counters', () => {
    for (const rule of rules.filter((r) => r.expr.includes('controller_runtime_reconcile_errors_total'))) {
      expect(rule.alert).not.toMatch(/Kustomization|ReconciliationFailure/);
    }
    const kustomizationRule = rules.find((rule) => rule.alert === 'FluxKustomizationNotReady')!;
    expect(kustomizationRule.expr).not.toContain('controller_runtime');
  });
});

describe('alert rules', () => {
  it('link only to dashboards the build makes', () => {
    const built = new Set(buildDashboards(resolveConfig({})).map((dashboard) => dashboard.uid));
    const linked = rulesOf(resolveConfig({})).map((rule) => /\/d\/([^?]+)\?/.exec(rule.annotations.dashboard_url!)?.[1]);
    expect(linked.every((uid) => uid !== undefined && built.has(uid))).toBe(true);
  });

  it('have the names the README lists, in the kube-state-metrics flavour', () => {
    const names = rulesOf(resolveConfig({})).map((rule) => rule.alert);
    for (const name of [
      'FluxReconciliationFailure', 'FluxReconciliationStalled', 'FluxSuspendedResource', 'FluxHighReconciliationTime', 'FluxSourceArtifactFailed',
      'FluxHelmReleaseNotReady', 'FluxKustomizationNotReady', 'FluxGitRepositoryNotReady', 'FluxSystemDown',
    ]) expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never claim a reason no controller sets: no SourceNotFound alert or matcher in any flavour', () => {
    for (const flavor of ['kube-state-metrics', 'legacy', 'flux-operator'] as const) {
      const text = alertArtifacts(resolveConfig({ flavor })).files.get(outputFiles.ruleFile)!;
      expect(text, flavor).not.toContain('SourceNotFound');
    }
  });

  it('fail the tests with the install command when promtool is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => promtool()).toThrow(/apt-get install prometheus/);
    } finally {
      process.env.PATH = path;
    }
  });
});
