/** The alert rules as a Prometheus rule file and as a Prometheus Operator `PrometheusRule`. */
import type { Config } from '../config';
import { manifestFiles, outputFiles } from '../model/outputs';
import { kubernetesObject, toYamlFile, type ModuleArtifacts, type ObjectSpec } from '../output';
import { recordingInterval, recordingRules } from './recording';
import { ruleFileRule, ruleGroupNames } from './rule-file';
import { alertRules } from './rules';

export { alertRules, runbookUrl, type AlertRule, type Severity } from './rules';
export { logAlertRules } from './loki-rules';
export { alertPanels, type AlertPanel } from './dashboard-panels';
export { ruleGroupNames } from './rule-file';
export {
  grafanaRuleGroups,
  grafanaAlertingOf,
  ruleUid,
  seriesExistsCondition,
  type DashboardPanels,
  type GrafanaRuleGroups,
} from './grafana-managed';
export {
  grafanaAlertingArtifacts,
  grafanaAlertingFiles,
  lokiArtifacts,
  lokiRuleFile,
  lokiRuleGroups,
  provisioningFile,
} from './grafana-files';
export { recordedSeries, recordingRules, type RecordingRule } from './recording';

/** The recording rules in a group of their own, evaluated every minute; none when `recordingRules` is off. */
export function recordingGroups(config: Config) {
  const rules = recordingRules(config);
  return rules.length ? [{ name: ruleGroupNames.recording, interval: recordingInterval, rules }] : [];
}

/** The recording group first (promtool's unit tests evaluate groups in order), then the alerts. */
export function ruleGroups(config: Config) {
  return [...recordingGroups(config), { name: ruleGroupNames.prometheus, rules: alertRules(config).map(ruleFileRule) }];
}

const about = 'Prometheus alert rules for Flux.';

/** The rule file for a Prometheus of your own, and the same rules as a manifest for the Kubernetes packaging. */
export function alertArtifacts(config: Config): ModuleArtifacts {
  const groups = ruleGroups(config);
  // Annotations are full of `{{ $labels.x }}` templates: Flux's post-build substitution must leave them alone.
  const { namespace, monitoringLabels: labels, monitoringAnnotations: annotations } = config.packaging;
  const metadata: ObjectSpec = {
    name: 'flux-alerts', namespace, component: 'alerts', holdsTemplates: true, labels, annotations,
  };
  const prometheusRule = kubernetesObject('PrometheusRule', metadata, { spec: { groups } });
  return {
    files: new Map([[outputFiles.ruleFile, toYamlFile({ groups }, { about })]]),
    manifests: [{ file: manifestFiles.prometheusRule, yaml: toYamlFile(prometheusRule, { about }) }],
  };
}
