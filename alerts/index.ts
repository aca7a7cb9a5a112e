/**
 * The alerts of a configuration, built once as typed values, and every output made from them: the Prometheus rule
 * file and PrometheusRule, the Loki rule file, the Grafana-managed rules and the runbooks dashboard.
 */
import type { Config } from '../config';
import { alertsObjectName, manifestFiles, outputFiles, type PanelIds } from '../model';
import { kubernetesObject, toYamlFile, type ModuleArtifacts, type ObjectSpec } from '../output';
import { withRunbooks, type AlertDeclaration, type AlertSet } from './alert';
import { alertmanagerArtifacts } from './alertmanager';
import { grafanaAlertingArtifacts, lokiArtifacts } from './grafana-files';
import { logAlertRules } from './loki-rules';
import { recordingInterval, recordingRules } from './recording';
import { ruleFileRule, ruleGroupNames } from './rule-file';
import { alertRules } from './rules';
import { runbooksDashboardFile } from './runbooks';

export {
  durationText, durationWords, everyAlert, hours, minutes, runbookPanelId, runbookUrl,
  type Alert, type AlertDeclaration, type AlertSet, type AlertSubject, type Duration, type Severity,
} from './alert';
export {
  alertmanagerArtifacts, alertmanagerConfigObject, alertmanagerFile, alertmanagerFragment, alertmanagerSide,
  defaultReceiver, type AlertmanagerSide, type InhibitRule, type Matcher, type Route, type Timings,
} from './alertmanager';
export { alertRules } from './rules';
export { logAlertRules } from './loki-rules';
export { alertAnnotations, ruleFileRule, ruleGroupNames } from './rule-file';
export {
  grafanaRuleGroups,
  grafanaAlertingOf,
  ruleUid,
  seriesExistsCondition,
} from './grafana-managed';
export {
  grafanaAlertingArtifacts,
  grafanaAlertingFiles,
  lokiArtifacts,
  lokiRuleFile,
  lokiRuleGroups,
  sidecarAlertLabel,
} from './grafana-files';
export {
  AlertFileError, provisioningFile, provisioningGroups, type FileRule, type FileRuleGroup, type GrafanaRuleGroups,
  type ProvisioningFile,
} from './provisioning-file';
export { recordedSeries, recordingRules, type RecordingRule } from './recording';
export { runbookPagesFolder, runbookText, runbooksDashboardFile, runbooksDashboardJson } from './runbooks';
export { alertsTable } from './docs-table';

/**
 * The configuration's alerts, built once for every output; `extra` adds alerts of your own, each to the rule file
 * of its query's language (PromQL: Prometheus, LogQL: Loki), linking its runbook like the others.
 */
export function alertSet(config: Config, extra: AlertDeclaration[] = []): AlertSet {
  const own = withRunbooks(config, extra);
  return {
    prometheus: [...alertRules(config), ...own.filter((alert) => alert.query.language === 'promql')],
    loki: [...logAlertRules(config), ...own.filter((alert) => alert.query.language === 'logql')],
  };
}

/** The recording rules in a group of their own, evaluated every minute; none when `recordingRules` is off. */
export function recordingGroups(config: Config) {
  const rules = recordingRules(config);
  return rules.length ? [{ name: ruleGroupNames.recording, interval: recordingInterval, rules }] : [];
}

/** The recording group first (promtool's unit tests evaluate groups in order), then the alerts. */
export function ruleGroups(config: Config, alerts: AlertSet = alertSet(config)) {
  return [...recordingGroups(config), { name: ruleGroupNames.prometheus, rules: alerts.prometheus.map(ruleFileRule) }];
}

const about = 'Prometheus alert rules for Flux.';

/** The rule file for a Prometheus of your own, and the same rules as a manifest for the Kubernetes packaging. */
export function alertArtifacts(config: Config, alerts: AlertSet = alertSet(config)): ModuleArtifacts {
  const groups = ruleGroups(config, alerts);
  // Annotations are full of `{{ $labels.x }}` templates: Flux's post-build substitution must leave them alone.
  const { namespace, monitoringLabels: labels, monitoringAnnotations: annotations } = config.packaging;
  const metadata: ObjectSpec = {
    name: alertsObjectName, namespace, component: 'alerts', holdsTemplates: true, labels, annotations,
  };
  const prometheusRule = kubernetesObject('PrometheusRule', metadata, { spec: { groups } });
  return {
    files: new Map([[outputFiles.ruleFile, toYamlFile({ groups }, { about })]]),
    manifests: [{ file: manifestFiles.prometheusRule, yaml: toYamlFile(prometheusRule, { about }) }],
  };
}

/**
 * Everything the alerts make, from one set: rule files, the PrometheusRule manifest, the Grafana-managed rules
 * (linking the panels `panelIds` gives), Alertmanager's routes and inhibit rules, and the runbooks dashboard,
 * delivered with the other dashboards.
 */
export function alertingArtifacts(config: Config, panelIds: PanelIds, alerts: AlertSet = alertSet(config)) {
  const prometheus = alertArtifacts(config, alerts);
  return {
    files: new Map([
      ...prometheus.files,
      ...lokiArtifacts(alerts),
      ...grafanaAlertingArtifacts(config, alerts, panelIds),
      ...alertmanagerArtifacts(config, alerts),
    ]),
    manifests: prometheus.manifests,
    dashboards: [runbooksDashboardFile(alerts)],
  };
}
