/** The one configuration every part of the package is a function of. */

export type Flavor = 'kube-state-metrics' | 'legacy';
export type ObjectNamespaceLabel = 'exported_namespace' | 'namespace';
export type LokiPreset = 'promtail' | 'alloy';

export interface LokiConfig {
  /** promtail / loki-stack (`namespace`, `app`) or Grafana Alloy / k8s-monitoring (`k8s_namespace_name`, `app_kubernetes_io_name`…). */
  preset: LokiPreset;
  /** Stream label holding the pod's namespace; defaults to the preset's. */
  namespaceLabel?: string;
  /** Stream label holding the controller (app) name; defaults to the preset's. */
  controllerLabel?: string;
}

export interface DatasourcesConfig {
  /** Name or uid of the Prometheus datasource the `datasource` variable preselects. */
  prometheus?: string;
  /** Name or uid of the Loki datasource the `loki_datasource` variable preselects. */
  loki?: string;
}

export interface PackagingConfig {
  /** Namespace the kustomizations of dist/kubernetes and dist/grafana-operator put everything in. */
  namespace: string;
  /** Label the Grafana sidecar selects dashboard ConfigMaps by. */
  dashboardLabel: { key: string; value: string };
  /** Annotation the Grafana sidecar reads the folder from, and the folder. */
  folderAnnotation: string;
  folder: string;
  /** matchLabels of the grafana-operator `instanceSelector`. */
  grafanaOperatorInstanceSelector: Record<string, string>;
  /** The manifests are applied with `kubectl apply --server-side`: dashboards may then reach the 1 MiB ConfigMap limit instead of client-side apply's 256 KiB. */
  serverSideApply: boolean;
}

export interface AlertsConfig {
  /** Grafana's external URL, for the dashboard links in alert annotations. */
  grafanaUrl: string;
}

export interface Config {
  /** Where readiness comes from: kube-state-metrics `gotk_resource_info` (Flux ≥ 2.1) or the removed `gotk_reconcile_condition` (Flux < 2.1). */
  flavor: Flavor;
  /** The label that tells clusters apart (Thanos, Mimir), or null for a single Prometheus. */
  clusterLabel: string | null;
  /** The namespace Flux runs in. */
  namespace: string;
  /** Where the object's namespace is on the controllers' own metrics. */
  objectNamespaceLabel: ObjectNamespaceLabel;
  loki: LokiConfig;
  datasources: DatasourcesConfig;
  packaging: PackagingConfig;
  alerts: AlertsConfig;
}

export const defaultConfig: Config = {
  flavor: 'kube-state-metrics',
  clusterLabel: 'cluster',
  namespace: 'flux-system',
  objectNamespaceLabel: 'exported_namespace',
  loki: { preset: 'promtail' },
  datasources: {},
  packaging: {
    namespace: 'monitoring',
    dashboardLabel: { key: 'grafana_dashboard', value: '1' },
    folderAnnotation: 'grafana_folder',
    folder: 'Flux',
    grafanaOperatorInstanceSelector: { dashboards: 'grafana' },
    serverSideApply: false,
  },
  alerts: { grafanaUrl: 'http://localhost:3000' },
};

export const lokiPresets: Record<LokiPreset, Required<Omit<LokiConfig, 'preset'>>> = {
  promtail: { namespaceLabel: 'namespace', controllerLabel: 'app' },
  alloy: { namespaceLabel: 'k8s_namespace_name', controllerLabel: 'app_kubernetes_io_name' },
};

/** A partial configuration, as a user writes it: every option may be left out. */
export type ConfigInput = Partial<Omit<Config, 'loki' | 'datasources' | 'packaging' | 'alerts'>> & {
  loki?: Partial<LokiConfig>;
  datasources?: DatasourcesConfig;
  packaging?: Partial<PackagingConfig>;
  alerts?: Partial<AlertsConfig>;
};

export function resolveConfig(input: ConfigInput = {}): Config {
  return {
    ...defaultConfig,
    ...input,
    loki: { ...defaultConfig.loki, ...input.loki },
    datasources: { ...defaultConfig.datasources, ...input.datasources },
    packaging: { ...defaultConfig.packaging, ...input.packaging },
    alerts: { ...defaultConfig.alerts, ...input.alerts },
  };
}
