/**
 * kube-state-metrics CustomResourceState configuration that exports `gotk_resource_info`, one series per Flux object,
 * with the Ready condition's reason and the Reconciling and Stalled conditions besides; for exactly the kinds and API
 * versions of the configured Flux release (`model/flux-releases.ts`), from the fields `model/resource-fields.ts` names.
 */
import { kindApisOf, type FluxRelease, type KindApi } from '../model/flux-releases';
import { conditionLabels, commonLabels, kindLabels, type LabelPaths } from '../model/resource-fields';
import { objectLabelName, objectLabelPath } from '../model/routing';

/** The labels the configuration gives a kind's `gotk_resource_info`, with their paths in the object. */
export function resourceLabels(kind: KindApi): LabelPaths {
  const own = kindLabels[kind.kind];
  if (!own) throw new Error(`no gotk_resource_info labels defined for Flux kind ${kind.kind}`);
  return { ...commonLabels, ...(kind.hasConditions ? conditionLabels : {}), ...own };
}

/** kube-state-metrics ≥ 2.12 merges metric families by name and help: a help shared by two kinds keeps only one. */
export const resourceHelp = (kind: KindApi) => `The current state of a Flux ${kind.kind} object (${kind.group}).`;

/** The object labels (`objectLabels`) each object's series carries, read from its `metadata.labels`. */
export const objectLabelPaths = (keys: readonly string[]): Record<string, string[]> =>
  Object.fromEntries(keys.map((key) => [objectLabelName(key), objectLabelPath(key)]));

function resourceMetrics(kind: KindApi, objectLabels: readonly string[]) {
  return {
    groupVersionKind: { group: kind.group, version: kind.version, kind: kind.kind },
    metricNamePrefix: 'gotk',
    metrics: [
      {
        name: 'resource_info',
        help: resourceHelp(kind),
        each: { type: 'Info', info: { labelsFromPath: { name: ['metadata', 'name'] } } },
        labelsFromPath: { ...resourceLabels(kind), ...objectLabelPaths(objectLabels) },
      },
    ],
  };
}

/** The file `--custom-resource-state-config-file` reads; `objectLabels`: Kubernetes label keys the series carry. */
export function customResourceStateConfig(release: FluxRelease, objectLabels: readonly string[] = []) {
  const resources = kindApisOf(release).map((kind) => resourceMetrics(kind, objectLabels));
  return { kind: 'CustomResourceStateMetrics', spec: { resources } };
}

/** kube-state-metrics must list and watch every Flux kind. */
export function fluxReadRule(release: FluxRelease) {
  const kinds = kindApisOf(release);
  return {
    apiGroups: [...new Set(kinds.map((kind) => kind.group))].sort(),
    resources: kinds.map((kind) => kind.plural),
    verbs: ['list', 'watch'],
  };
}

/**
 * Values for the kube-state-metrics chart (kube-prometheus-stack's `kube-state-metrics` subchart): adds the Flux
 * resources. Deliberately no `collectors: []` or `--custom-resource-state-only`: those would drop the standard
 * kube-state-metrics metrics.
 */
export function kubeStateMetricsChartValues(release: FluxRelease, objectLabels: readonly string[] = []) {
  return {
    rbac: { extraRules: [fluxReadRule(release)] },
    customResourceState: { enabled: true, config: customResourceStateConfig(release, objectLabels) },
  };
}
