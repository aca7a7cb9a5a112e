/**
 * Grafana's k8s-monitoring Helm chart (grafana/k8s-monitoring-helm, Grafana Alloy): the keys of its values.yaml that
 * the Flux dashboards need, per chart generation. 2.x–3.x run fixed collectors (`alloy-metrics`, `alloy-singleton`)
 * and carry kube-state-metrics under `clusterMetrics`; 4.x names its collectors under `collectors` and deploys
 * kube-state-metrics under `telemetryServices`. Checked against the charts' values.schema.json and validation
 * templates at the tags test/packaging/fixtures/k8s-monitoring/SOURCES.md names.
 */
import type { MetricSource } from './catalogue';

export type K8sMonitoringGeneration = 'v3' | 'v4';
export const k8sMonitoringGenerations: readonly K8sMonitoringGeneration[] = ['v3', 'v4'];

/** Which chart releases each generation of values fits. */
export const k8sMonitoringChartVersions: Record<K8sMonitoringGeneration, string> = { v3: '2.x–3.x', v4: '4.x' };

/** The chart's Alloy collectors the values use: one clustered for scraping, one single replica for events. */
export const k8sMonitoringCollectors = { metrics: 'alloy-metrics', events: 'alloy-singleton' } as const;

/** The 4.x collector presets (charts/k8s-monitoring/collectors/presets/): clustering shares the scrape targets. */
export const k8sMonitoringCollectorPresets = { metrics: ['clustered'], events: ['singleton'] } as const;

/**
 * The features the values enable: cluster metrics (kube-state-metrics, cAdvisor, the API server), the Prometheus
 * Operator objects (the build's PodMonitors scrape the controllers and the Flux Operator) and cluster events.
 */
export const k8sMonitoringFeatures = {
  clusterMetrics: 'clusterMetrics',
  prometheusOperatorObjects: 'prometheusOperatorObjects',
  clusterEvents: 'clusterEvents',
} as const;

/**
 * The cluster-metrics sources whose `metricsTuning.includeMetrics` allow-list must keep what the dashboards read, by
 * the catalogue's source of each metric. Sources scraped by the build's PodMonitors have no allow-list.
 */
export const k8sMonitoringAllowLists: Partial<Record<MetricSource, string>> = {
  'kube-state-metrics': 'kube-state-metrics',
  'flux-resource-state': 'kube-state-metrics',
  cadvisor: 'cadvisor',
  'kubernetes-apiserver': 'apiServer',
};

/** Where the kube-state-metrics chart's own values (customResourceState, rbac) go. */
export const k8sMonitoringKubeStateMetricsChart: Record<K8sMonitoringGeneration, readonly string[]> = {
  v3: ['clusterMetrics', 'kube-state-metrics'],
  v4: ['telemetryServices', 'kube-state-metrics'],
};

/**
 * The label the chart's Prometheus destinations put `cluster.name` in on every series (`clusterLabels` of
 * destinations/prometheus-values.yaml, both generations): the `clusterLabel` of an installation it feeds.
 */
export const k8sMonitoringClusterLabel = 'cluster';
