/** The Kubernetes objects that carry the dashboards: sidecar ConfigMaps, GrafanaDashboards, kustomizations. */
import type { PackagingConfig } from '../config';
import type { DashboardIdentity } from '../model/dashboards';
import { kubernetesObject, type KubernetesObject, type ObjectSpec } from '../output';

export type ConfigMap = KubernetesObject<'ConfigMap', { data: Record<string, string> }>;

export type GrafanaDashboard = KubernetesObject<'GrafanaDashboard', {
  spec: {
    instanceSelector: { matchLabels: Record<string, string> };
    uid: string;
    folder: string;
    configMapRef: { name: string; key: string };
  };
}>;

/** A dashboard as the packaging sees it: its identity and the exact bytes of its JSON file. */
export interface DashboardFile extends DashboardIdentity {
  json: string;
}

/** Every dashboard object: its JSON is full of `${datasource}` references. */
const dashboardObject = (uid: string): ObjectSpec => ({
  name: dashboardObjectName(uid),
  component: 'dashboard',
  holdsTemplates: true,
});

/** `flux-control-plane` → `flux-dashboard-control-plane`; a uid without the `flux-` prefix is kept whole. */
export function dashboardObjectName(uid: string): string {
  return `flux-dashboard-${uid.replace(/^flux-/, '')}`;
}

/** The data key holding the dashboard, named like its file so the sidecar writes `<uid>.json`. */
export const dashboardDataKey = (uid: string) => `${uid}.json`;

/** The ConfigMap the Grafana sidecar loads: selected by the dashboard label, filed by the folder annotation. */
export function sidecarConfigMap(dashboard: DashboardFile, packaging: PackagingConfig): ConfigMap {
  const labels = { [packaging.dashboardLabel.key]: packaging.dashboardLabel.value };
  const annotations = { [packaging.folderAnnotation]: packaging.folder };
  return kubernetesObject('ConfigMap', { ...dashboardObject(dashboard.uid), labels, annotations }, {
    data: { [dashboardDataKey(dashboard.uid)]: dashboard.json },
  });
}

/** The same dashboard for grafana-operator: no sidecar label, so a sidecar in the cluster does not load it twice. */
export function operatorConfigMap(dashboard: DashboardFile): ConfigMap {
  return kubernetesObject('ConfigMap', dashboardObject(dashboard.uid), {
    data: { [dashboardDataKey(dashboard.uid)]: dashboard.json },
  });
}

export function grafanaDashboard(dashboard: DashboardFile, packaging: PackagingConfig): GrafanaDashboard {
  const name = dashboardObjectName(dashboard.uid);
  return kubernetesObject('GrafanaDashboard', dashboardObject(dashboard.uid), {
    spec: {
      instanceSelector: { matchLabels: { ...packaging.grafanaOperatorInstanceSelector } },
      uid: dashboard.uid,
      folder: packaging.folder,
      configMapRef: { name, key: dashboardDataKey(dashboard.uid) },
    },
  });
}
