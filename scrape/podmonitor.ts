/** The PodMonitor (prometheus-operator) that scrapes every Flux controller's :8080/metrics. */
import { monitoringAnnotations, type Config } from '../config';
import { fluxOperator } from '../model';

/** Every Flux controller pod carries it, so controllers added later are scraped too. */
export const fluxPodSelector = { 'app.kubernetes.io/part-of': 'flux' } as const;
/** The named container port of the controllers' metrics endpoint. */
export const metricsPort = 'http-prom';

/** Our labels with the configured ones (what the Prometheus Operator selects by), and the configured annotations. */
function monitorMetadata(config: Config, name: string) {
  const labels = { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/component': 'monitoring' };
  return { name, labels: { ...labels, ...config.packaging.monitoringLabels }, ...monitoringAnnotations(config) };
}

export function fluxPodMonitor(config: Config) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: monitorMetadata(config, 'flux-controllers'),
    spec: {
      namespaceSelector: { matchNames: [config.namespace] },
      selector: { matchLabels: { ...fluxPodSelector } },
      podMetricsEndpoints: [
        // objectNamespaceLabel "namespace" means the object's namespace label is kept as the controllers write it.
        config.objectNamespaceLabel === 'namespace' ? { port: metricsPort, honorLabels: true } : { port: metricsPort },
      ],
    },
  };
}

/**
 * The PodMonitor of the Flux Operator (its `flux_resource_info` and the rest), in the flux-operator flavour. It
 * replaces the operator chart's own ServiceMonitor (`serviceMonitor.create`): enable only one of them, or every series
 * doubles.
 */
export function fluxOperatorPodMonitor(config: Config) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: monitorMetadata(config, fluxOperator.deployment),
    spec: {
      namespaceSelector: { matchNames: [config.namespace] },
      selector: { matchLabels: { ...fluxOperator.podSelector } },
      // The operator names the object's namespace `exported_namespace` itself: no label clash, honor_labels or not.
      podMetricsEndpoints: [{ port: fluxOperator.metricsPort }],
    },
  };
}
