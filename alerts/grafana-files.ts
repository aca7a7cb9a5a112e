/**
 * Files of the Grafana-managed rules: Grafana's file provisioning, the same file in a ConfigMap for the Grafana
 * sidecar, and grafana-operator objects; plus the Loki ruler's rule file. Each Kubernetes folder is a kustomization.
 */
import type { Config } from '../config';
import { alertsObjectName, outputFiles, sidecarAlertLabel, type PanelIds } from '../model';
import { folderFiles, kubernetesObject, toYamlFile, type ObjectSpec } from '../output';
import type { AlertSet } from './alert';
import { evaluationIntervalSeconds, grafanaAlertingOf, grafanaRuleGroups } from './grafana-managed';
import { fileRule, intervalText, provisioningFile, type GrafanaRuleGroups } from './provisioning-file';
import { ruleFileRule, ruleGroupNames } from './rule-file';

export const grafanaAlertingFiles = {
  provisioning: outputFiles.grafanaAlertProvisioning,
  sidecarFolder: outputFiles.grafanaAlertSidecarFolder,
  operatorFolder: outputFiles.grafanaAlertOperatorFolder,
} as const;
export const lokiRuleFile = outputFiles.lokiRuleFile;

export { sidecarAlertLabel } from '../model';
const provisioningKey = `${alertsObjectName}.yaml`;
const objectName = alertsObjectName;

const about = {
  rules: 'Grafana-managed alert rules for Flux (Grafana alerting file provisioning).',
  loki: 'Loki ruler alert rules on the Flux controllers\' logs.',
};
const alertsObject = (name: string): ObjectSpec => ({ name, component: 'alerts', holdsTemplates: true });

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
export function grafanaAlertingArtifacts(config: Config, alerts: AlertSet, panelIds: PanelIds): Map<string, string> {
  const grafana = grafanaAlertingOf(config);
  if (!grafana) return new Map();
  const rules = grafanaRuleGroups(config, grafana, alerts, panelIds);
  const provisioning = toYamlFile(provisioningFile(rules, evaluationIntervalSeconds), { about: about.rules });
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
  ]);
}

export function lokiRuleGroups(alerts: AlertSet) {
  return { groups: [{ name: ruleGroupNames.loki, rules: alerts.loki.map(ruleFileRule) }] };
}

export function lokiArtifacts(alerts: AlertSet): Map<string, string> {
  return new Map([[lokiRuleFile, toYamlFile(lokiRuleGroups(alerts), { about: about.loki })]]);
}
