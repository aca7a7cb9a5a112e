/**
 * Files of the Grafana-managed rules: Grafana's file provisioning, the same file in a ConfigMap for the Grafana
 * sidecar, and grafana-operator objects; plus the Loki ruler's rule file. Each Kubernetes folder is a kustomization.
 */
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import type { Config } from '../config';
import { outputFiles } from '../model';
import { folderFiles, kubernetesObject, toYamlFile, type ObjectSpec } from '../output';
import {
  defaultOrgId,
  evaluationIntervalSeconds,
  grafanaAlertingOf,
  grafanaRuleGroups,
  type DashboardPanels,
  type GrafanaRuleGroups,
} from './grafana-managed';
import { logAlertRules } from './loki-rules';
import { ruleFileRule, ruleGroupNames } from './rule-file';

export const grafanaAlertingFiles = {
  provisioning: outputFiles.grafanaAlertProvisioning,
  sidecarFolder: outputFiles.grafanaAlertSidecarFolder,
  operatorFolder: outputFiles.grafanaAlertOperatorFolder,
} as const;
export const lokiRuleFile = outputFiles.lokiRuleFile;

/** The Grafana chart's sidecar loads alerting files from ConfigMaps with this label (`sidecar.alerts.label`). */
export const sidecarAlertLabel = { key: 'grafana_alert', value: '1' } as const;
const provisioningKey = 'flux-alerts.yaml';
const objectName = 'flux-alerts';

const about = {
  rules: 'Grafana-managed alert rules for Flux (Grafana alerting file provisioning).',
  loki: 'Loki ruler alert rules on the Flux controllers\' logs.',
};
const alertsObject = (name: string): ObjectSpec => ({ name, component: 'alerts', holdsTemplates: true });

const intervalText = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

/** A rule as Grafana's provisioning file and grafana-operator write it: no folder, group or org of its own. */
function fileRule(rule: alerting.Rule) {
  return {
    uid: rule.uid!,
    title: rule.title,
    condition: rule.condition,
    data: rule.data,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    annotations: rule.annotations ?? {},
    labels: rule.labels ?? {},
    isPaused: rule.isPaused ?? false,
  };
}

export function provisioningFile(rules: GrafanaRuleGroups) {
  return {
    apiVersion: 1,
    groups: rules.groups.map((group) => ({
      orgId: defaultOrgId,
      name: group.title!,
      folder: rules.folder,
      interval: intervalText(group.interval ?? evaluationIntervalSeconds),
      rules: (group.rules ?? []).map(fileRule),
    })),
  };
}

function operatorObjects(config: Config, rules: GrafanaRuleGroups): Array<[string, unknown]> {
  const instanceSelector = { matchLabels: { ...config.packaging.grafanaOperatorInstanceSelector } };
  const folder = kubernetesObject('GrafanaFolder', alertsObject(objectName), {
    spec: { instanceSelector, title: rules.folder, uid: rules.folderUid },
  });
  const groups = rules.groups.map((group): [string, unknown] => [
    `${group.title}.grafanaalertrulegroup.yaml`,
    kubernetesObject('GrafanaAlertRuleGroup', alertsObject(group.title!), {
      spec: {
        name: group.title,
        instanceSelector,
        folderRef: objectName,
        interval: intervalText(group.interval ?? evaluationIntervalSeconds),
        rules: (group.rules ?? []).map(fileRule),
      },
    }),
  ]);
  return [[`${objectName}.grafanafolder.yaml`, folder], ...groups];
}


/** The Grafana-managed outputs, or none when `alerts.grafana` is null. */
export function grafanaAlertingArtifacts(config: Config, dashboards: DashboardPanels[]): Map<string, string> {
  const grafana = grafanaAlertingOf(config);
  if (!grafana) return new Map();
  const rules = grafanaRuleGroups(config, grafana, dashboards);
  const provisioning = toYamlFile(provisioningFile(rules), { about: about.rules });
  const labels = { [sidecarAlertLabel.key]: sidecarAlertLabel.value };
  const configMap = kubernetesObject('ConfigMap', { ...alertsObject(objectName), labels }, {
    data: { [provisioningKey]: provisioning },
  });
  const namespace = config.packaging.namespace;
  // Each object is written like every other manifest of the build, then listed by a kustomization of its own folder.
  const yaml = (objects: Array<[string, unknown]>): Array<[string, string]> =>
    objects.map(([name, object]) => [name, toYamlFile(object, { about: about.rules })]);
  return new Map([
    [grafanaAlertingFiles.provisioning, provisioning],
    ...folderFiles(grafanaAlertingFiles.sidecarFolder, namespace, yaml([[`${objectName}.configmap.yaml`, configMap]])),
    ...folderFiles(grafanaAlertingFiles.operatorFolder, namespace, yaml(operatorObjects(config, rules))),
  ]);}

export function lokiRuleGroups(config: Config) {
  return { groups: [{ name: ruleGroupNames.loki, rules: logAlertRules(config).map(ruleFileRule) }] };
}

export function lokiArtifacts(config: Config): Map<string, string> {
  return new Map([[lokiRuleFile, toYamlFile(lokiRuleGroups(config), { about: about.loki })]]);
}
