/**
 * The Flux Operator (controlplaneio-fluxcd/flux-operator) as its manifests and `internal/reporter` have it. Its pod
 * runs in Flux's namespace with a container `manager` and controller-runtime metrics, like a Flux controller; it is
 * not one.
 */

export const fluxOperator = {
  /** The Deployment (and pod name prefix) of the operator's manifests and Helm chart. */
  deployment: 'flux-operator',
  /** The operator pod's labels, as its Service and ServiceMonitor select it. */
  podSelector: { 'app.kubernetes.io/name': 'flux-operator' },
  /** The named container port of its metrics endpoint (:8080). */
  metricsPort: 'http-metrics',
  /** Its controller-runtime controllers: never Flux's. */
  controllers: ['fluxinstance', 'fluxreport', 'resourceset', 'resourcesetinputprovider'],
} as const;

/** The operator's pods (`flux-operator-<replicaset>-<pod>`), for a `pod` matcher. */
export const operatorPodRegex = `${fluxOperator.deployment}-[a-z0-9]+-[a-z0-9]+`;
