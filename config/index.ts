/** The one configuration every part of the package is a function of. */
import { fluxReleaseFor, newestFluxRelease, type FluxRelease } from './flux-version';

/**
 * kube-state-metrics `gotk_resource_info` (any Flux 2.x) or the controllers' `gotk_reconcile_condition`, written until
 * Flux 2.4 (by helm-controller until 2.1).
 */
export type Flavor = 'kube-state-metrics' | 'legacy';
/** `exported_namespace` by default; `namespace` when the scrape honours the targets' labels (Grafana Alloy, honor_labels). */
export type ObjectNamespaceLabel = 'exported_namespace' | 'namespace';
/** promtail / loki-stack, or Grafana Alloy / k8s-monitoring. */
export type LokiPreset = 'promtail' | 'alloy';

/**
 * a Prometheus or Loki label name (letters, digits and _, not starting with a digit)
 * @pattern ^[a-zA-Z_][a-zA-Z0-9_]*$
 */
export type LabelName = string;

/**
 * a Kubernetes namespace name (lower-case letters, digits and -, at most 63 characters)
 * @pattern ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$
 */
export type NamespaceName = string;

/**
 * a Kubernetes label or annotation key (e.g. grafana_dashboard or example.com/folder)
 * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$
 */
export type KubernetesKey = string;

/**
 * a Kubernetes label value (at most 63 letters, digits, -, _ or ., starting and ending with a letter or digit)
 * @pattern ^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$
 */
export type KubernetesLabelValue = string;

/**
 * a Flux release in quotes, as `flux version` prints it (e.g. "2.3" or "v2.3.1")
 * @pattern ^v?[0-9]+\.[0-9]+(\.[0-9]+)?$
 */
export type FluxVersion = string;

/**
 * a non-empty text
 * @minLength 1
 */
export type NonEmptyText = string;

/**
 * an http:// or https:// URL
 * @pattern ^https?://[^\s]+$
 */
export type HttpUrl = string;

export interface LokiConfig {
  /** promtail / loki-stack (`namespace`, `app`) or Grafana Alloy / k8s-monitoring (`namespace`, `pod`). */
  preset: LokiPreset;
  /** Stream label holding the pod's namespace; defaults to the preset's. */
  namespaceLabel?: LabelName;
  /** Stream label holding the controller (app) name; defaults to the preset's. */
  controllerLabel?: LabelName;
}

export interface DatasourcesConfig {
  /** Name or uid of the Prometheus datasource the `datasource` variable preselects. */
  prometheus?: NonEmptyText;
  /** Name or uid of the Loki datasource the `loki_datasource` variable preselects. */
  loki?: NonEmptyText;
}

export interface KubernetesLabel {
  key: KubernetesKey;
  value: KubernetesLabelValue;
}

export interface PackagingConfig {
  /** Namespace the kustomizations of dist/kubernetes and dist/grafana-operator put everything in. */
  namespace: NamespaceName;
  /** Label the Grafana sidecar selects dashboard ConfigMaps by. */
  dashboardLabel: KubernetesLabel;
  /** Annotation the Grafana sidecar reads the folder from, and the folder. */
  folderAnnotation: KubernetesKey;
  folder: NonEmptyText;
  /** matchLabels of the grafana-operator `instanceSelector`. */
  grafanaOperatorInstanceSelector: Record<KubernetesKey, KubernetesLabelValue>;
  /** The manifests are applied with `kubectl apply --server-side`: dashboards may then reach the 1 MiB ConfigMap limit instead of client-side apply's 256 KiB. */
  serverSideApply: boolean;
}

export interface AlertsConfig {
  /** Grafana's external URL, for the dashboard links in alert annotations. */
  grafanaUrl: HttpUrl;
}

export interface Config {
  /**
   * Where readiness comes from: kube-state-metrics `gotk_resource_info` or the controllers'
   * `gotk_reconcile_condition` (Flux ≤ 2.4).
   */
  flavor: Flavor;
  /** The Flux minor release the build is for: it picks the API versions kube-state-metrics watches. */
  fluxVersion: FluxRelease;
  /** The label that tells clusters apart (Thanos, Mimir), or null for a single Prometheus. */
  clusterLabel: LabelName | null;
  /** The namespace Flux runs in. */
  namespace: NamespaceName;
  /** Where the object's namespace is on the controllers' own metrics. */
  objectNamespaceLabel: ObjectNamespaceLabel;
  loki: LokiConfig;
  datasources: DatasourcesConfig;
  packaging: PackagingConfig;
  alerts: AlertsConfig;
}

export const defaultConfig: Config = {
  flavor: 'kube-state-metrics',
  fluxVersion: newestFluxRelease,
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

/**
 * Stream labels per log shipper. promtail / loki-stack: `namespace` and the pod's `app` label. Grafana k8s-monitoring
 * (pod logs feature) keeps `namespace`, `pod`, `container`, `job`, `service_name`, `app_kubernetes_io_name`; Flux pods
 * have no `app.kubernetes.io/name` and their container is always `manager`, so only `pod` tells the controllers apart.
 */
export const lokiPresets: Record<LokiPreset, Required<Omit<LokiConfig, 'preset'>>> = {
  promtail: { namespaceLabel: 'namespace', controllerLabel: 'app' },
  alloy: { namespaceLabel: 'namespace', controllerLabel: 'pod' },
};

/** A configuration as a user writes it: every option may be left out. */
export interface ConfigInput {
  /** Where readiness comes from: `kube-state-metrics` (the default) or `legacy` (Flux 2.0 to 2.4). */
  flavor?: Flavor;
  /** The Flux release the build is for, as `flux version` prints it (default: the newest the flavour serves). */
  fluxVersion?: FluxVersion;
  /** The label that tells clusters apart (default `cluster`), or null for a single Prometheus. */
  clusterLabel?: LabelName | null;
  /** The namespace Flux runs in (default `flux-system`). */
  namespace?: NamespaceName;
  /** Where the object's namespace is on the controllers' own metrics (default `exported_namespace`). */
  objectNamespaceLabel?: ObjectNamespaceLabel;
  loki?: Partial<LokiConfig>;
  datasources?: DatasourcesConfig;
  packaging?: Partial<PackagingConfig>;
  alerts?: Partial<AlertsConfig>;
}

/** The configuration the build uses; a fluxVersion the flavour cannot serve throws a ConfigError. */
export function resolveConfig(input: ConfigInput = {}): Config {
  return {
    ...defaultConfig,
    ...input,
    fluxVersion: fluxReleaseFor(input.flavor, input.fluxVersion),
    loki: { ...defaultConfig.loki, ...input.loki },
    datasources: { ...defaultConfig.datasources, ...input.datasources },
    packaging: { ...defaultConfig.packaging, ...input.packaging },
    alerts: { ...defaultConfig.alerts, ...input.alerts },
  };
}

export { ConfigError, loadConfigFile, parseConfig, validateConfig } from './load';
export {
  fluxReleases, newestFluxRelease, newestLegacyRelease, parseFluxRelease, type FluxRelease,
} from './flux-version';
