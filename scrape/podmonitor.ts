/** The PodMonitor (prometheus-operator) that scrapes every Flux controller's :8080/metrics. */
import type { Config } from '../config';
import { fluxControllerPods, fluxOperator } from '../model';
import { kubernetesObject, type ObjectSpec } from '../output';

/** The configured labels (what the Prometheus Operator selects by) and annotations after the build's own. */
const monitor = (config: Config, name: string): ObjectSpec => ({
  name,
  component: 'monitoring',
  labels: config.packaging.monitoringLabels,
  annotations: config.packaging.monitoringAnnotations,
});

export function fluxPodMonitor(config: Config) {
  const port = fluxControllerPods.metricsPort;
  return kubernetesObject('PodMonitor', monitor(config, 'flux-controllers'), {
    spec: {
      namespaceSelector: { matchNames: [config.namespace] },
      selector: { matchLabels: { ...fluxControllerPods.selector } },
      podMetricsEndpoints: [
        // objectNamespaceLabel "namespace" means the object's namespace label is kept as the controllers write it.
        config.objectNamespaceLabel === 'namespace' ? { port, honorLabels: true } : { port },
      ],
    },
  });
}

/**
 * The PodMonitor of the Flux Operator (its `flux_resource_info` and the rest), in the flux-operator flavour. It
 * replaces the operator chart's own ServiceMonitor (`serviceMonitor.create`): enable only one of them, or every series
 * doubles.
 */
export function fluxOperatorPodMonitor(config: Config) {
  return kubernetesObject('PodMonitor', monitor(config, fluxOperator.deployment), {
    spec: {
      namespaceSelector: { matchNames: [config.namespace] },
      selector: { matchLabels: { ...fluxOperator.podSelector } },
      // The operator names the object's namespace `exported_namespace` itself: no label clash, honor_labels or not.
      podMetricsEndpoints: [{ port: fluxOperator.metricsPort }],
    },
  });
}
