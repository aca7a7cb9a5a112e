/** The labels that name a Flux object, on each flavour's readiness metric and on the controllers' own metrics. */
import type { Flavor, ObjectNamespaceLabel } from './flavors';

export interface ObjectLabels {
  kind: string;
  namespace: string;
  name: string;
}

/** What a flavour's readiness metric can tell about an object, and the labels it tells it with. */
export interface ReadinessLabels {
  /** The metric with one series per object (the legacy one: per object and status). */
  metric: 'gotk_resource_info' | 'gotk_reconcile_condition' | 'flux_resource_info';
  object: ObjectLabels;
  /** The Ready condition's reason; null when the metric has none (legacy). */
  reason: string | null;
  /** Whether a Stalled=True object can be told apart from a merely failing one. */
  tellsStalled: boolean;
  /** Per-object columns beyond readiness: what a source fetches from, and a HelmRelease's chart. */
  sourceColumns: readonly string[];
  helmReleaseColumns: readonly string[];
}

/** On each flavour's readiness metric: gotk_resource_info, legacy gotk_reconcile_condition, flux_resource_info. */
const readinessLabelsByFlavor: Record<Flavor, (objectNamespaceLabel: ObjectNamespaceLabel) => ReadinessLabels> = {
  'kube-state-metrics': () => ({
    metric: 'gotk_resource_info',
    object: { kind: 'customresource_kind', namespace: 'exported_namespace', name: 'name' },
    reason: 'ready_reason',
    tellsStalled: true,
    // Not Bucket's `endpoint`: on every other kind that label is kube-state-metrics' own scrape endpoint.
    sourceColumns: ['url', 'bucket_name', 'chart_name'],
    helmReleaseColumns: ['chart_name', 'revision', 'chart_app_version', 'chart_source_name', 'chart_ref_name'],
  }),
  legacy: (objectNamespaceLabel) => ({
    metric: 'gotk_reconcile_condition',
    object: { kind: 'kind', namespace: objectNamespaceLabel, name: 'name' },
    reason: null,
    tellsStalled: true,
    sourceColumns: [],
    helmReleaseColumns: [],
  }),
  // The operator names the object's namespace `exported_namespace` itself, whatever the scrape honours.
  'flux-operator': () => ({
    metric: 'flux_resource_info',
    object: { kind: 'kind', namespace: 'exported_namespace', name: 'name' },
    reason: 'reason',
    tellsStalled: false,
    // `ref`: branch, tag or semver (a Bucket's bucket name); `url`: a Bucket's endpoint, an image, a webhook path.
    sourceColumns: ['url', 'ref'],
    helmReleaseColumns: ['source_name', 'revision'],
  }),
};

export const readinessLabels = (flavor: Flavor, objectNamespaceLabel: ObjectNamespaceLabel): ReadinessLabels =>
  readinessLabelsByFlavor[flavor](objectNamespaceLabel);

export const readinessObjectLabels = (flavor: Flavor, objectNamespaceLabel: ObjectNamespaceLabel): ObjectLabels =>
  readinessLabels(flavor, objectNamespaceLabel).object;

/** On the controllers' per-object metrics (`gotk_reconcile_duration_seconds`): the scrape decides the namespace's. */
export const controllerObjectLabels = (objectNamespaceLabel: ObjectNamespaceLabel): ObjectLabels => ({
  kind: 'kind',
  namespace: objectNamespaceLabel,
  name: 'name',
});

/** The labels that tell one object from every other: its cluster (with a cluster label), kind, namespace, name. */
export const objectIdentity = (labels: ObjectLabels, clusterLabel: string | null): string[] => [
  ...(clusterLabel ? [clusterLabel] : []),
  labels.kind,
  labels.namespace,
  labels.name,
];
