/** The log pipelines that ship the Flux controllers' logs to Loki, and the labels each one writes. */

/**
 * The log pipeline that ships the controllers' logs to Loki: Promtail (or loki-stack), or Grafana Alloy as the
 * k8s-monitoring Helm chart configures it, 1.x–2.x (`pod` a stream label) or 3.x and later (`pod` structured
 * metadata).
 */
export type LokiPreset = 'promtail' | 'alloy-k8s-monitoring-v1-v2' | 'alloy-k8s-monitoring-v3-plus';

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

/**
 * The labels each pipeline writes, read from the shippers' own configuration:
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

/**
 * The JSON fields of the Flux controllers' log lines the queries read, by the label each is extracted to: names of
 * their own, so they never clash with stream labels (`namespace` is the pod's stream label and the object's field).
 */
export const logFields = {
  level: 'level',
  msg: 'msg',
  reconciler: 'controller',
  object_namespace: 'namespace',
  object_name: 'name',
  error: 'error',
} as const;
