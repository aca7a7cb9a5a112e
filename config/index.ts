/** The one configuration every part of the package is a function of. */
import type { Flavor, ObjectNamespaceLabel } from '../model/flavors';
import type { FluxRelease } from '../model/flux-releases';
import type { LokiPreset } from '../model/loki';
import type { EventLineFormat, EventPipeline } from '../model/events';
import { checkedConfig } from './load';

export type { Flavor, ObjectNamespaceLabel } from '../model/flavors';
export { lokiPresets, type LokiPipeline, type LokiPreset } from '../model/loki';
export { eventPipelines, type EventLineFormat, type EventPipeline } from '../model/events';

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

export interface EventsConfig {
  /**
   * How Kubernetes events reach Loki, for the object dashboard's Events panel: `alloy`
   * (`loki.source.kubernetes_events`), `k8s-monitoring-v1`, `k8s-monitoring-v2-v3`, `k8s-monitoring-v4` (the chart's
   * `clusterEvents`), `kubernetes-event-exporter` (its Loki sink) or `none`.
   */
  pipeline: EventPipeline;
  /** The Alloy component's `log_format` (k8s-monitoring: `clusterEvents.logFormat`): `logfmt` or `json`. */
  lineFormat: EventLineFormat;
  /**
   * The stream labels every event carries with a fixed value, replacing the pipeline's (Alloy: its `job_name`);
   * required for kubernetes-event-exporter: its Loki sink's `streamLabels`.
   */
  streamLabels?: Record<LabelName, string>;
}

export interface DatasourcesConfig {
  /** Name or uid of the Prometheus datasource the `datasource` variable preselects. */
  prometheus?: NonEmptyText;
  /** Name or uid of the Loki datasource the `loki_datasource` variable preselects. */
  loki?: NonEmptyText;
}

export interface KubernetesLabel {
  /** The label's key. */
  key: KubernetesKey;
  /** The label's value. */
  value: KubernetesLabelValue;
}

export interface PackagingConfig {
  /** Namespace the kustomizations of the Kubernetes packaging (sidecar and grafana-operator) put everything in. */
  namespace: NamespaceName;
  /** Label the Grafana sidecar selects dashboard ConfigMaps by. */
  dashboardLabel: KubernetesLabel;
  /** Annotation the Grafana sidecar reads the dashboards' folder from (its `folderAnnotation`). */
  folderAnnotation: KubernetesKey;
  /** Grafana folder of the dashboards: the annotation's value, grafana-operator's folder and `deploy`'s. */
  folder: NonEmptyText;
  /** matchLabels of the grafana-operator `instanceSelector`. */
  grafanaOperatorInstanceSelector: Record<KubernetesKey, KubernetesLabelValue>;
  /**
   * The manifests are applied with `kubectl apply --server-side`: dashboards may then reach the 1 MiB ConfigMap limit
   * instead of client-side apply's 256 KiB.
   */
  serverSideApply: boolean;
  /**
   * Labels added to the PodMonitors and the PrometheusRule, e.g. `release: kube-prometheus-stack` for its selectors.
   */
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
  /** Kubernetes label keys of Flux objects that gotk_resource_info and every per-object alert carry, for routing. */
  objectLabels: KubernetesKey[];
  loki: LokiConfig;
  events: EventsConfig;
  datasources: DatasourcesConfig;
  packaging: PackagingConfig;
  alerts: AlertsConfig;
}

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
  /**
   * Kubernetes label keys of Flux objects (e.g. `team`, `app.kubernetes.io/part-of`) that kube-state-metrics exports
   * on gotk_resource_info and every per-object alert carries, `.` and `/` turned into `_`, for Alertmanager to route
   * by (default none; the kube-state-metrics flavour only).
   */
  objectLabels?: KubernetesKey[];
  /** The log pipeline the logs dashboard and the log alerts read. */
  loki?: Partial<LokiConfig>;
  /** Where the object dashboard reads Kubernetes events from (default: nowhere, `none`). */
  events?: Partial<EventsConfig>;
  /** The datasources the dashboards' datasource variables preselect. */
  datasources?: DatasourcesConfig;
  /** The Kubernetes manifests: namespace, the sidecar's label and folder, grafana-operator, monitoring labels. */
  packaging?: Partial<PackagingConfig>;
  /** Links in the alert rules, and the Grafana-managed rules. */
  alerts?: Partial<AlertsConfig>;
}

/**
 * The configuration the build uses, every option filled in. The input is checked like a configuration file: a bad
 * option throws a `ConfigError` with the same one-line message a file gets, without the file's name in front.
 */
export function resolveConfig(input: ConfigInput = {}): Config {
  return checkedConfig(input);
}

export { ConfigError } from './errors';
export { defaultConfig } from './defaults';
export { configFileMaxBytes, loadConfigFile, parseConfig, readConfig, validateConfig } from './load';
export { parseFluxRelease } from './flux-version';
export { fluxReleases, newestFluxRelease, newestLegacyRelease, type FluxRelease } from '../model/flux-releases';
