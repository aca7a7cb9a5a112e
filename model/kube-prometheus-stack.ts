/**
 * The kube-prometheus-stack Helm chart's values the build writes, as paths into its values.yaml. The chart passes
 * `grafana.*` to the Grafana chart and `kube-state-metrics.*` to the kube-state-metrics chart; where each key is
 * documented, and at which chart versions: test/packaging/fixtures/kube-prometheus-stack-values.json.
 */
export const kubePrometheusStackKeys = {
  /** The Grafana chart's dashboard sidecar: which ConfigMaps it loads, and the annotation naming their folder. */
  dashboardSidecar: ['grafana', 'sidecar', 'dashboards'],
  /** The sidecar's file provider: `foldersFromFilesStructure` makes the annotation's sub-folders Grafana folders. */
  dashboardProvider: ['grafana', 'sidecar', 'dashboards', 'provider'],
  /** The Grafana chart's alerting sidecar (off by default, unlike the dashboards'). */
  alertSidecar: ['grafana', 'sidecar', 'alerts'],
  kubeStateMetrics: ['kube-state-metrics'],
  /** With `…NilUsesHelmValues: true` (the default) Prometheus selects only objects labelled `release: <release>`. */
  prometheusSpec: ['prometheus', 'prometheusSpec'],
} as const;

/** The label kube-prometheus-stack's default selectors match, with the Helm release's name as its value. */
export const kubePrometheusStackReleaseLabel = 'release';

/** A sidecar's `searchNamespace` value that watches every namespace. */
export const everyNamespace = 'ALL';
