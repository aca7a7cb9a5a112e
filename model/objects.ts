/** The labels that name a Flux object, on each flavour's readiness metric and on the controllers' own metrics. */
import type { Flavor, ObjectNamespaceLabel } from '../config';

export interface ObjectLabels {
  kind: string;
  namespace: string;
  name: string;
}

/** On the readiness metric of each flavour (`gotk_resource_info`, or the legacy `gotk_reconcile_condition`). */
const readinessLabelsByFlavor: Record<Flavor, (objectNamespaceLabel: ObjectNamespaceLabel) => ObjectLabels> = {
  'kube-state-metrics': () => ({ kind: 'customresource_kind', namespace: 'exported_namespace', name: 'name' }),
  legacy: (objectNamespaceLabel) => ({ kind: 'kind', namespace: objectNamespaceLabel, name: 'name' }),
};

export const readinessObjectLabels = (flavor: Flavor, objectNamespaceLabel: ObjectNamespaceLabel): ObjectLabels =>
  readinessLabelsByFlavor[flavor](objectNamespaceLabel);

/** On the controllers' per-object metrics (`gotk_reconcile_duration_seconds`): the scrape decides the namespace's. */
export const controllerObjectLabels = (objectNamespaceLabel: ObjectNamespaceLabel): ObjectLabels => ({
  kind: 'kind',
  namespace: objectNamespaceLabel,
  name: 'name',
});

/** The labels that tell one object from every other: its cluster (when there is a cluster label), kind, namespace, name. */
export const objectIdentity = (labels: ObjectLabels, clusterLabel: string | null): string[] => [
  ...(clusterLabel ? [clusterLabel] : []),
  labels.kind,
  labels.namespace,
  labels.name,
];
