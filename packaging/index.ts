/** Wraps the built dashboards, scrape configuration and alert rules into kustomize folders for Kubernetes. */
import type { Config } from '../config';
import { dashboardFile, outputFiles, outputFolders } from '../model/outputs';
import { k8sMonitoringChartVersions, type K8sMonitoringGeneration } from '../model/k8s-monitoring';
import { folderFiles, toYamlFile, type Artifacts, type KubernetesManifest } from '../output';
import {
  type ConfigMap,
  type DashboardFile,
  dashboardDataKey,
  dashboardObjectName,
  grafanaDashboard,
  operatorConfigMap,
  sidecarConfigMap,
} from './manifests';
import { flowListsUnder } from '../scrape';
import { kubePrometheusStackValues } from './kube-prometheus-stack';
import { k8sMonitoringValues } from './k8s-monitoring';
import { checkConfigMapSize } from './size-budget';

export type { DashboardFile } from './manifests';
export { kubePrometheusStackValues } from './kube-prometheus-stack';
export {
  dashboardFolderObjectName, dashboardResourceFile, dashboardsGrafanaFolder, folderResource, folderResourceFile,
  gitSyncResource, grafanaFolderFile, grafanaManifest, grafanaManifestFile, packageV2Artifacts,
  type FolderResource, type GrafanaFolder, type GrafanaManifest,
} from './v2';
export { k8sMonitoringValues, includeMetrics } from './k8s-monitoring';

/** What the packaging wraps: the dashboards as data, and the other modules' Kubernetes manifests. */
export interface PackagingInput {
  dashboards: DashboardFile[];
  /** PodMonitor, PrometheusRule…: each goes into every kustomize folder as it is. */
  manifests: KubernetesManifest[];
}

const kubernetesObjectName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const configMapKey = /^[-._a-zA-Z0-9]+$/;

export function configMapFile(uid: string): string {
  return `${dashboardObjectName(uid)}.configmap.yaml`;
}

export function grafanaDashboardFile(uid: string): string {
  return `${dashboardObjectName(uid)}.grafanadashboard.yaml`;
}

function assertUsableUid(source: string, uid: string): void {
  if (!kubernetesObjectName.test(dashboardObjectName(uid)) || !configMapKey.test(dashboardDataKey(uid))) {
    const allowed = 'use lowercase letters, digits and "-" only';
    throw new Error(`${source}: dashboard uid "${uid}" cannot name a Kubernetes object; ${allowed}.`);
  }
}

/** The Grafana sidecar's folder and grafana-operator's folder, each complete on its own. */
export function packageArtifacts(config: Config, input: PackagingInput): Artifacts {
  const { packaging } = config;
  const dashboards = [...input.dashboards].sort((a, b) => a.uid.localeCompare(b.uid));
  const others = input.manifests.map(({ file, yaml }): [string, string] => [file, yaml]);

  /** A ConfigMap's file, held to the size Kubernetes and kubectl accept. */
  const configMapYaml = (dashboard: DashboardFile, configMap: ConfigMap, about: string): string => {
    const file = toYamlFile(configMap, { about });
    const { namespace, serverSideApply } = packaging;
    checkConfigMapSize({ source: dashboardFile(dashboard), configMap, file, namespace, serverSideApply });
    return file;
  };

  const sidecarResources: [string, string][] = [];
  const operatorResources: [string, string][] = [];
  for (const dashboard of dashboards) {
    const { uid } = dashboard;
    assertUsableUid(dashboardFile(dashboard), uid);
    const sidecar = sidecarConfigMap(dashboard, packaging);
    const operator = operatorConfigMap(dashboard);
    const operatorDashboard = grafanaDashboard(dashboard, packaging);
    const loads = `Loads dashboard ${uid} into grafana-operator's Grafana.`;
    const forSidecar = `Dashboard ${uid} for the Grafana sidecar.`;
    sidecarResources.push([configMapFile(uid), configMapYaml(dashboard, sidecar, forSidecar)]);
    operatorResources.push(
      [configMapFile(uid), configMapYaml(dashboard, operator, `Dashboard ${uid} for grafana-operator.`)],
      [grafanaDashboardFile(uid), toYamlFile(operatorDashboard, { about: loads })],
    );
  }

  const valuesAbout = 'kube-prometheus-stack values for the objects of kubernetes/ and grafana-alerting/: ' +
    'pass it to helm upgrade after your own values (-f your-values.yaml -f this file).';
  const values = toYamlFile(kubePrometheusStackValues(config), { flowListsUnder, about: valuesAbout });
  const k8sMonitoringFile = (generation: K8sMonitoringGeneration) => {
    const about = `Grafana k8s-monitoring chart ${k8sMonitoringChartVersions[generation]} values for the Flux ` +
      'dashboards: pass it after your own values (-f your-values.yaml -f this file), which set cluster.name and ' +
      'destinations.';
    return toYamlFile(k8sMonitoringValues(config, generation), { flowListsUnder, about });
  };
  return new Map([
    ...folderFiles(outputFolders.kubernetes, packaging.namespace, [...sidecarResources, ...others]),
    ...folderFiles(outputFolders.grafanaOperator, packaging.namespace, [...operatorResources, ...others]),
    [outputFiles.kubePrometheusStackValues, values],
    [outputFiles.k8sMonitoringValuesV3, k8sMonitoringFile('v3')],
    [outputFiles.k8sMonitoringValuesV4, k8sMonitoringFile('v4')],
  ]);
}
