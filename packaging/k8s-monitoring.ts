/**
 * Values for Grafana's k8s-monitoring chart (Grafana Alloy, Grafana Cloud's default) that the dashboards need:
 * kube-state-metrics with the Flux CustomResourceState config and its RBAC (kube-state-metrics flavour), allow-lists
 * keeping every metric the queries read, the build's PodMonitors scraped, and cluster events collected. The file sets
 * no destinations and no cluster name: those are the user's, given in their own values before this file.
 */
import type { Config } from '../config';
import { catalogue, type MetricDefinition, type MetricName } from '../model/catalogue';
import {
  k8sMonitoringAllowLists, k8sMonitoringCollectorPresets, k8sMonitoringCollectors, k8sMonitoringKubeStateMetricsChart,
  type K8sMonitoringGeneration,
} from '../model/k8s-monitoring';
import { kubeStateMetricsChartValues } from '../scrape';

type Values = { [key: string]: unknown };

/** A histogram is scraped as its `_bucket`, `_sum` and `_count` series. */
const seriesNames = (name: string, definition: MetricDefinition) =>
  definition.type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];

/**
 * Each cluster-metrics source's allow-list: every catalogue metric it exposes (the queries name no other), but
 * `gotk_resource_info` outside the kube-state-metrics flavour, which has no CustomResourceState config.
 */
export function includeMetrics(config: Config): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const [name, definition] of Object.entries(catalogue) as Array<[MetricName, MetricDefinition]>) {
    const source = k8sMonitoringAllowLists[definition.source];
    if (!source) continue;
    if (definition.source === 'flux-resource-state' && config.flavor !== 'kube-state-metrics') continue;
    (lists[source] ??= []).push(...seriesNames(name, definition));
  }
  return lists;
}

function clusterMetrics(config: Config, generation: K8sMonitoringGeneration): Values {
  const sources = Object.fromEntries(
    Object.entries(includeMetrics(config)).map(([source, metrics]) => [
      source,
      // The API server is scraped only when asked; the other sources are on by default.
      { ...(source === 'apiServer' ? { enabled: true } : {}), metricsTuning: { includeMetrics: metrics.sort() } },
    ]),
  );
  return {
    enabled: true,
    ...(generation === 'v4' ? { collector: k8sMonitoringCollectors.metrics } : {}),
    ...sources,
  };
}

/** Sets `value` at `path`, merging into the mappings on the way. */
function mergeAt(values: Values, path: readonly string[], value: Values): void {
  let node = values;
  for (const key of path) node = (node[key] ??= {}) as Values;
  Object.assign(node, value);
}

export function k8sMonitoringValues(config: Config, generation: K8sMonitoringGeneration): Values {
  const { metrics, events } = k8sMonitoringCollectors;
  const assigned = (collector: string) => (generation === 'v4' ? { collector } : {});
  const values: Values = {
    clusterMetrics: clusterMetrics(config, generation),
    // The build's PodMonitors (kubernetes/podmonitor.yaml…) scrape the controllers and the Flux Operator.
    prometheusOperatorObjects: { enabled: true, ...assigned(metrics) },
    // Kubernetes events of the Flux objects, for events panels; they go to the user's Loki destination.
    clusterEvents: { enabled: true, ...assigned(events) },
  };
  if (config.flavor === 'kube-state-metrics') {
    const chartValues = kubeStateMetricsChartValues(config.fluxVersion, config.objectLabels);
    mergeAt(values, k8sMonitoringKubeStateMetricsChart[generation], chartValues);
  }
  if (generation === 'v4') {
    mergeAt(values, ['telemetryServices', 'kube-state-metrics'], { deploy: true });
    values.collectors = {
      [metrics]: { presets: [...k8sMonitoringCollectorPresets.metrics] },
      [events]: { presets: [...k8sMonitoringCollectorPresets.events] },
    };
  } else {
    values[metrics] = { enabled: true };
    values[events] = { enabled: true };
  }
  return values;
}
