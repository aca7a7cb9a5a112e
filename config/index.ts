/** The one configuration every part of the package is a function of. */
import { fluxReleaseFor, newestFluxRelease, type FluxRelease } from './flux-version';
import { validateConfig } from './load';

/**
 * Where readiness comes from: kube-state-metrics `gotk_resource_info` (any Flux 2.x), the controllers'
 * `gotk_reconcile_condition`, written until Flux 2.4 (by helm-controller until 2.1), or the Flux Operator's own
 * `flux_resource_info`.
 */
export type Flavor = 'kube-state-metrics' | 'legacy' | 'flux-operator';
/** `exported_namespace` by default; `namespace` when the scrape honours the targets' labels (Grafana Alloy, honor_labels). */
export type ObjectNamespaceLabel = 'exported_namespace' | 'namespace';
/**
 * The log pipeline that ships the controllers' logs to Loki: Promtail (or loki-stack), or Grafana Alloy as the
 * k8s-monitoring Helm chart configures it, 1.x–2.x (`pod` a stream label) or 3.x and later (`pod` structured
 * metadata).
 */
export type LokiPreset = 'promtail' | 'alloy-k8s-monitoring-v1-v2' | 'alloy-k8s-monitoring-v3-plus';

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
  /** The log pipeline: `promtail`, `alloy-k8s-monitoring-v1-v2` or `alloy-k8s-monitoring-v3-plus`. */
  preset: LokiPreset;
  /** Stream label holding the pod's namespace; defaults to the preset's. */
  namespaceLabel?: LabelName;
  /** Label holding the controller's name (promtail: `app`) or its pod's (Alloy: `pod`); the preset's by default. */
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
  /** Namespace the kustomizations of the Kubernetes packaging (sidecar and grafana-operator) put everything in. */
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
  /** Labels added to the PodMonitors and the PrometheusRule, e.g. `release: kube-prometheus-stack` for its selectors. */
  monitoringLabels: Record<KubernetesKey, KubernetesLabelValue>;
  /** Annotations added to the PodMonitors and the PrometheusRule. */
  monitoringAnnotations: Record<KubernetesKey, string>;
}

/**
 * a Grafana datasource uid (letters, digits, - and _, at most 40 characters): not its name
 * @pattern ^[a-zA-Z0-9_-]{1,40}$
 */
export type DatasourceUid = string;

/** Grafana-managed alert rules: the same alerts evaluated by Grafana, which queries datasources by uid. */
export interface GrafanaAlertingConfig {
  /** uid of the Prometheus datasource the rules query; kube-prometheus-stack names its own `prometheus`. */
  prometheusDatasourceUid: DatasourceUid;
  /** uid of the Loki datasource the log rules query; without it the log rules stay out of Grafana's rules. */
  lokiDatasourceUid?: DatasourceUid;
  /** Grafana folder the rule groups go in; defaults to `packaging.folder`. */
  folder?: NonEmptyText;
}

export interface AlertsConfig {
  /** Grafana's external URL, for the dashboard links in alert annotations. */
  grafanaUrl: HttpUrl;
  /** Grafana-managed rules, or null for none (the Prometheus and Loki rule files are built either way). */
  grafana: GrafanaAlertingConfig | null;
  /**
   * Where you publish the runbook pages (docs/runbooks/): each alert's `runbook_url` is then `<this>/<alert>.md`.
   * null: the alert's panel in the Flux Runbooks dashboard the build writes, at `grafanaUrl`.
   */
  runbookBaseUrl: HttpUrl | null;
}

export interface Config {
  /**
   * Where readiness comes from: kube-state-metrics `gotk_resource_info`, the controllers'
   * `gotk_reconcile_condition` (Flux ≤ 2.4) or the Flux Operator's `flux_resource_info`.
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
  /** Emit recording rules for the dear rates and have the dashboards and alerts read the recorded series. */
  recordingRules: boolean;
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
  recordingRules: false,
  loki: { preset: 'promtail' },
  datasources: {},
  packaging: {
    namespace: 'monitoring',
    dashboardLabel: { key: 'grafana_dashboard', value: '1' },
    folderAnnotation: 'grafana_folder',
    folder: 'Flux',
    grafanaOperatorInstanceSelector: { dashboards: 'grafana' },
    serverSideApply: false,
    monitoringLabels: {},
    monitoringAnnotations: {},
  },
  alerts: {
    grafanaUrl: 'http://localhost:3000',
    grafana: { prometheusDatasourceUid: 'prometheus' },
    runbookBaseUrl: null,
  },
};

/** What a log pipeline writes: where the namespace and the controller are, and in what form. */
export interface LokiPipeline {
  /** Stream label holding the pod's namespace. */
  namespaceLabel: string;
  /** Label telling the controllers apart. */
  controllerLabel: string;
  /** `controller`: the label's value is the controller's name; `pod`: the pod's name (controller name and suffixes). */
  controllerLabelHolds: 'controller' | 'pod';
  /** A stream label (in the selector, listed by label_values) or structured metadata (filtered after the selector). */
  controllerLabelIn: 'stream' | 'structured-metadata';
}

/** The configured annotations of the PodMonitors and PrometheusRule, as a metadata field only when there are any. */
export function monitoringAnnotations(config: Config): { annotations?: Record<string, string> } {
  const annotations = config.packaging.monitoringAnnotations;
  return Object.keys(annotations).length ? { annotations: { ...annotations } } : {};
}

/**
 * The labels each pipeline writes (docs/flux-facts.md, Logs), read from the shippers' own configuration:
 * - promtail (and loki-stack): `namespace`, and `app` from the pod's `app` label, which Flux pods carry as the
 *   controller's name (`app: kustomize-controller`).
 * - alloy-k8s-monitoring-v1-v2: grafana/k8s-monitoring-helm 1.x `templates/alloy_config/_pod_logs_discovery.alloy.txt`
 *   (tag v1.6.38, chart k8s-monitoring-v1) sets `namespace`, `pod`, `container`, `job` and keeps them; 2.x
 *   `charts/feature-pod-logs/values.yaml` (tag k8s-monitoring-2.0.46) `labelsToKeep` lists `namespace`, `pod`,
 *   `container`, `job`, `service_name`, `app_kubernetes_io_name`. Flux pods have no `app.kubernetes.io/name` and
 *   every controller's container is `manager`, so `pod` is the only label that tells the controllers apart.
 * - alloy-k8s-monitoring-v3-plus: from 3.0.0 `charts/feature-pod-logs/values.yaml` drops `pod` from `labelsToKeep` and
 *   puts it in `structuredMetadata` (`pod`, `k8s.pod.name`); 4.x (`feature-pod-logs-via-loki`, tag
 *   k8s-monitoring-4.4.0) removed `labelsToKeep` and keeps `pod` in `structuredMetadata`. No stream label tells the
 *   controllers apart (`job` is `<namespace>/manager`, `service_name` falls back to the container, `manager`).
 */
export const lokiPresets: Record<LokiPreset, LokiPipeline> = {
  promtail: {
    namespaceLabel: 'namespace', controllerLabel: 'app', controllerLabelHolds: 'controller',
    controllerLabelIn: 'stream',
  },
  'alloy-k8s-monitoring-v1-v2': {
    namespaceLabel: 'namespace', controllerLabel: 'pod', controllerLabelHolds: 'pod', controllerLabelIn: 'stream',
  },
  'alloy-k8s-monitoring-v3-plus': {
    namespaceLabel: 'namespace',
    controllerLabel: 'pod',
    controllerLabelHolds: 'pod',
    controllerLabelIn: 'structured-metadata',
  },
};

/** A configuration as a user writes it: every option may be left out. */
export interface ConfigInput {
  /**
   * Where readiness comes from: `kube-state-metrics` (the default), `legacy` (Flux 2.0 to 2.4) or
   * `flux-operator` (Flux run by the Flux Operator).
   */
  flavor?: Flavor;
  /** The Flux release the build is for, as `flux version` prints it (default: the newest the flavour serves). */
  fluxVersion?: FluxVersion;
  /** The label that tells clusters apart (default `cluster`), or null for a single Prometheus. */
  clusterLabel?: LabelName | null;
  /** The namespace Flux runs in (default `flux-system`). */
  namespace?: NamespaceName;
  /** Where the object's namespace is on the controllers' own metrics (default `exported_namespace`). */
  objectNamespaceLabel?: ObjectNamespaceLabel;
  /**
   * Emit recording rules (5-minute rates of the dear histograms and counters) beside the alert rules, and have the
   * dashboards and alerts read the recorded series (default false: they read the raw series).
   */
  recordingRules?: boolean;
  loki?: Partial<LokiConfig>;
  datasources?: DatasourcesConfig;
  packaging?: Partial<PackagingConfig>;
  alerts?: Partial<AlertsConfig>;
}

/**
 * The configuration the build uses, every option filled in. The input is checked like a configuration file: a bad
 * option throws a `ConfigError` with the same one-line message a file gets, without the file's name in front; a
 * fluxVersion the flavour cannot serve throws one too.
 */
export function resolveConfig(input: ConfigInput = {}): Config {
  validateConfig(input);
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
