/** The alert rules as a Prometheus rule file and as a Prometheus Operator `PrometheusRule`. */
import type { Config } from '../config';
import { manifestFiles, outputFiles } from '../model/outputs';
import { toYamlFile, type ModuleArtifacts } from '../output';
import { alertRules, type AlertRule } from './rules';

export { alertRules, type AlertRule, type Severity } from './rules';
export { logAlertRules } from './loki-rules';
export { alertPanels, type AlertPanel } from './dashboard-panels';
export { grafanaRuleGroups, grafanaAlertingOf, ruleUid, seriesExistsCondition, type GrafanaRuleGroups, type DashboardPanels } from './grafana-managed';
export { grafanaAlertingArtifacts, grafanaAlertingFiles, lokiArtifacts, lokiRuleFile, lokiRuleGroups, provisioningFile } from './grafana-files';

/** A rule as Prometheus reads it; keys in a fixed order so the output is the same on every run. */
function ruleOf(rule: AlertRule) {
  return {
    alert: rule.alert,
    expr: rule.expr.expr,
    for: rule.for,
    labels: { severity: rule.severity },
    annotations: {
      summary: rule.summary,
      description: rule.description,
      dashboard_url: rule.dashboardUrl,
      ...(rule.runbookUrl ? { runbook_url: rule.runbookUrl } : {}),
    },
  };
}

export function ruleGroups(config: Config) {
  return [{ name: 'flux', rules: alertRules(config).map(ruleOf) }];
}

const about = 'Prometheus alert rules for Flux.';

/** The rule file for a Prometheus of your own, and the same rules as a manifest for the Kubernetes packaging. */
export function alertArtifacts(config: Config): ModuleArtifacts {
  const groups = ruleGroups(config);
  const prometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'flux-alerts',
      namespace: config.packaging.namespace,
      labels: {
        'app.kubernetes.io/name': 'flux-dashboards',
        'app.kubernetes.io/component': 'alerts',
        // Annotations are full of `{{ $labels.x }}` templates: Flux's post-build substitution must leave them alone.
        'kustomize.toolkit.fluxcd.io/substitute': 'disabled',
      },
    },
    spec: { groups },
  };
  return {
    files: new Map([[outputFiles.ruleFile, toYamlFile({ groups }, { about })]]),
    manifests: [{ file: manifestFiles.prometheusRule, yaml: toYamlFile(prometheusRule, { about }) }],
  };
}
