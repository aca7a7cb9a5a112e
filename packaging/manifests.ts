/** The Kubernetes objects that carry the dashboards: sidecar ConfigMaps, GrafanaDashboards, kustomizations. */
import type { PackagingConfig } from '../config';
import type { DashboardIdentity } from '../model/dashboards';
import { partOfLabel, substitutionDisabledLabel } from '../output';

export interface Metadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: Metadata;
  data: Record<string, string>;
}

export interface GrafanaDashboard {
  apiVersion: 'grafana.integreatly.org/v1beta1';
  kind: 'GrafanaDashboard';
  metadata: Metadata;
  spec: {
    instanceSelector: { matchLabels: Record<string, string> };
    uid: string;
    folder: string;
    configMapRef: { name: string; key: string };
  };
}

/** A dashboard as the packaging sees it: its identity and the exact bytes of its JSON file. */
export interface DashboardFile extends DashboardIdentity {
  json: string;
}

const dashboardLabels = { ...partOfLabel, 'app.kubernetes.io/component': 'dashboard', ...substitutionDisabledLabel };

/** `flux-control-plane` → `flux-dashboard-control-plane`; a uid without the `flux-` prefix is kept whole. */
export function dashboardObjectName(uid: string): string {
  return `flux-dashboard-${uid.replace(/^flux-/, '')}`;
}

/** The data key holding the dashboard, named like its file so the sidecar writes `<uid>.json`. */
export const dashboardDataKey = (uid: string) => `${uid}.json`;

/** The ConfigMap the Grafana sidecar loads: selected by the dashboard label, filed by the folder annotation. */
export function sidecarConfigMap(dashboard: DashboardFile, packaging: PackagingConfig): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: dashboardObjectName(dashboard.uid),
      labels: { ...dashboardLabels, [packaging.dashboardLabel.key]: packaging.dashboardLabel.value },
      annotations: { [packaging.folderAnnotation]: packaging.folder },
    },
    data: { [dashboardDataKey(dashboard.uid)]: dashboard.json },
  };
}

/** The same dashboard for grafana-operator: no sidecar label, so a sidecar in the cluster does not load it twice. */
export function operatorConfigMap(dashboard: DashboardFile): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: dashboardObjectName(dashboard.uid), labels: dashboardLabels },
    data: { [dashboardDataKey(dashboard.uid)]: dashboard.json },
  };
}

export function grafanaDashboard(dashboard: DashboardFile, packaging: PackagingConfig): GrafanaDashboard {
  const name = dashboardObjectName(dashboard.uid);
  return {
    apiVersion: 'grafana.integreatly.org/v1beta1',
    kind: 'GrafanaDashboard',
    metadata: { name, labels: dashboardLabels },
    spec: {
      instanceSelector: { matchLabels: { ...packaging.grafanaOperatorInstanceSelector } },
      uid: dashboard.uid,
      folder: packaging.folder,
      configMapRef: { name, key: dashboardDataKey(dashboard.uid) },
    },
  };
}
