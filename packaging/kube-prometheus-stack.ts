/**
 * Values for the kube-prometheus-stack chart that the build's objects need: the Grafana sidecar loading the dashboard
 * ConfigMaps into the annotated folder (and the alerting ConfigMap when there are Grafana-managed rules), its
 * kube-state-metrics exporting `gotk_resource_info`, and its Prometheus selecting the PodMonitors and PrometheusRule.
 */
import { sidecarAlertLabel } from '../model/alerting';
import type { Config } from '../config';
import {
  everyNamespace, kubePrometheusStackKeys, kubePrometheusStackReleaseLabel,
} from '../model/kube-prometheus-stack';
import { kubeStateMetricsChartValues } from '../scrape';

type Values = { [key: string]: unknown };

/** Sets `value` at `path`, making the mappings on the way. */
function setAt(values: Values, path: readonly string[], value: Values): void {
  let node = values;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Values;
  node[path.at(-1)!] = value;
}

export function kubePrometheusStackValues(config: Config): Values {
  const { packaging } = config;
  const values: Values = {};
  setAt(values, kubePrometheusStackKeys.dashboardSidecar, {
    enabled: true,
    label: packaging.dashboardLabel.key,
    labelValue: packaging.dashboardLabel.value,
    folderAnnotation: packaging.folderAnnotation,
    // Without it the sidecar writes each folder's files but Grafana files every dashboard under General.
    provider: { foldersFromFilesStructure: true },
  });
  if (config.alerts.grafana) {
    setAt(values, kubePrometheusStackKeys.alertSidecar, {
      enabled: true,
      label: sidecarAlertLabel.key,
      labelValue: sidecarAlertLabel.value,
      // The chart's dashboard sidecar watches every namespace; its alerting sidecar only Grafana's own by default.
      searchNamespace: everyNamespace,
    });
  }
  if (config.flavor === 'kube-state-metrics') {
    const chartValues = kubeStateMetricsChartValues(config.fluxVersion, config.objectLabels);
    setAt(values, kubePrometheusStackKeys.kubeStateMetrics, chartValues);
  }
  // Labelled with the release, the PodMonitors and PrometheusRule are selected as the chart's own are.
  if (!(kubePrometheusStackReleaseLabel in packaging.monitoringLabels)) {
    setAt(values, kubePrometheusStackKeys.prometheusSpec, {
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
  }
  return values;
}
