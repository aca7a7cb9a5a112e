/** The generated rule files: complete annotations, links into real dashboards, per-flavour metrics. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertArtifacts } from '../../alerts';
import { resolveConfig } from '../../config';
import { buildDashboards } from '../../dashboards';
import { dashboardIdentities, isAtLeast } from '../../model';
import { manifestFiles, outputFiles } from '../../model/outputs';
import { configs, ruleFileOf, rulesOf } from './rule-file-setups';

describe.each(configs)('alert rule files ($title)', ({ config }) => {
  const artifacts = alertArtifacts(config);
  const rules = rulesOf(config);

  it('writes the rule file and the PrometheusRule, the same bytes on every run', () => {
    expect([...artifacts.files.keys()]).toEqual([outputFiles.ruleFile]);
    expect(artifacts.manifests.map((manifest) => manifest.file)).toEqual([manifestFiles.prometheusRule]);
    expect(alertArtifacts(config)).toEqual(artifacts);
  });

  it('writes the same groups as a PrometheusRule', () => {
    const prometheusRule = parse(artifacts.manifests[0]!.yaml) as { apiVersion: string; kind: string; spec: unknown };
    expect(prometheusRule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(prometheusRule.kind).toBe('PrometheusRule');
    expect(prometheusRule.spec).toEqual(ruleFileOf(config));
  });

  it('gives every rule a severity, a plain one-sentence summary, a description and a dashboard link', () => {
    for (const rule of rules) {
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels.severity);
      const annotations = ['dashboard_url', 'description', 'runbook_url', 'summary'];
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(annotations);
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

  it('names kind, namespace and name of the object in object alerts, and links its object dashboard by them', () => {
    const objectLink = `/d/${dashboardIdentities.object.uid}?`;
    const objectRules = rules.filter((rule) => rule.annotations.dashboard_url!.includes(objectLink));
    expect(objectRules.length).toBeGreaterThanOrEqual(5);
    for (const rule of objectRules) {
      const kubeStateMetrics = rule.expr.includes('customresource_kind');
      const kind = kubeStateMetrics ? 'customresource_kind' : 'kind';
      for (const label of ['name', ...(kubeStateMetrics ? ['customresource_kind', 'exported_namespace'] : ['kind'])]) {
        expect(rule.annotations.description, `${rule.alert} names ${label}`).toContain(`{{ $labels.${label} }}`);
      }
      expect(rule.annotations.dashboard_url, rule.alert).toContain(`var-kind={{ $labels.${kind} | urlquery }}`);
      expect(rule.annotations.dashboard_url, rule.alert).toContain('var-name={{ $labels.name | urlquery }}');
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
      const list = (dashboard!.templating as { list: Array<{ name: string }> }).list ?? [];
      const variables = list.map((variable) => variable.name);
      for (const name of url.searchParams.keys())
        expect(variables, `${rule.alert}: ${name}`).toContain(name.replace(/^var-/, ''));
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
      const sourceRule = rules.find((rule) => rule.alert === 'FluxSourceArtifactFailed');
      expect(sourceRule?.expr).toContain('reason=~"ArtifactFailed|SourceNotReady"');
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
    const uidOf = (url: string) => /\/d\/([^?]+)\?/.exec(url)?.[1];
    const linked = rulesOf(resolveConfig({})).map((rule) => uidOf(rule.annotations.dashboard_url!));
    expect(linked.every((uid) => uid !== undefined && built.has(uid))).toBe(true);
  });

  it('never claim a reason no controller sets: no SourceNotFound alert or matcher in any flavour', () => {
    for (const flavor of ['kube-state-metrics', 'legacy', 'flux-operator'] as const) {
      const text = alertArtifacts(resolveConfig({ flavor })).files.get(outputFiles.ruleFile)!;
      expect(text, flavor).not.toContain('SourceNotFound');
    }
  });

});
