/**
 * kube-state-metrics CustomResourceState configuration that exports `gotk_resource_info`, one series per Flux object
 * (docs/flux-facts.md), with the Ready condition's reason and the Reconciling and Stalled conditions besides; for
 * exactly the kinds and API versions of the configured Flux release (`model/flux-releases.ts`).
 */
import type { FluxRelease } from '../config';
import type { LabelOf } from '../model/catalogue';
import { kindApisOf, type KindApi } from '../model/flux-releases';

/** A label of `gotk_resource_info` (checked against the catalogue) and the path kube-state-metrics reads it from. */
type ResourceLabel = Exclude<LabelOf<'gotk_resource_info'>, 'name'>;
type LabelPaths = Partial<Record<ResourceLabel, string[]>>;

const condition = (type: string, field: 'status' | 'reason') => ['status', 'conditions', `[type=${type}]`, field];

/** Every kind: its namespace and whether it is suspended. */
const commonLabels: LabelPaths = {
  exported_namespace: ['metadata', 'namespace'],
  suspended: ['spec', 'suspend'],
};

/** Kinds with status conditions: Ready (status and reason), Reconciling and Stalled (kstatus). */
const conditionLabels: LabelPaths = {
  ready: condition('Ready', 'status'),
  ready_reason: condition('Ready', 'reason'),
  reconciling: condition('Reconciling', 'status'),
  stalled: condition('Stalled', 'status'),
};

const artifactRevision: LabelPaths = { revision: ['status', 'artifact', 'revision'] };
const latestRelease = (field: string) => ['status', 'history', '0', field];

/** What each kind adds: the revision it holds, and where it reads from. */
const kindLabels: Record<string, LabelPaths> = {
  Kustomization: { revision: ['status', 'lastAppliedRevision'], source_name: ['spec', 'sourceRef', 'name'] },
  HelmRelease: {
    revision: latestRelease('chartVersion'),
    chart_name: latestRelease('chartName'),
    chart_app_version: latestRelease('appVersion'),
    chart_ref_name: ['spec', 'chartRef', 'name'],
    chart_source_name: ['spec', 'chart', 'spec', 'sourceRef', 'name'],
  },
  GitRepository: { ...artifactRevision, url: ['spec', 'url'] },
  OCIRepository: { ...artifactRevision, url: ['spec', 'url'] },
  HelmRepository: { ...artifactRevision, url: ['spec', 'url'] },
  Bucket: { ...artifactRevision, endpoint: ['spec', 'endpoint'], bucket_name: ['spec', 'bucketName'] },
  HelmChart: { ...artifactRevision, chart_name: ['spec', 'chart'], chart_version: ['spec', 'version'] },
  ExternalArtifact: { ...artifactRevision, source_name: ['spec', 'sourceRef', 'name'] },
  ArtifactGenerator: {},
  ImageRepository: { image: ['spec', 'image'] },
  ImagePolicy: { source_name: ['spec', 'imageRepositoryRef', 'name'] },
  ImageUpdateAutomation: { source_name: ['spec', 'sourceRef', 'name'] },
  Receiver: { webhook_path: ['status', 'webhookPath'] },
  Alert: {},
  Provider: {},
};

/** The labels the configuration gives a kind's `gotk_resource_info`, with their paths in the object. */
export function resourceLabels(kind: KindApi): LabelPaths {
  const own = kindLabels[kind.kind];
  if (!own) throw new Error(`no gotk_resource_info labels defined for Flux kind ${kind.kind}`);
  return { ...commonLabels, ...(kind.hasConditions ? conditionLabels : {}), ...own };
}

/** kube-state-metrics ≥ 2.12 merges metric families by name and help: a help shared by two kinds keeps only one. */
export const resourceHelp = (kind: KindApi) => `The current state of a Flux ${kind.kind} object (${kind.group}).`;

function resourceMetrics(kind: KindApi) {
  return {
    groupVersionKind: { group: kind.group, version: kind.version, kind: kind.kind },
    metricNamePrefix: 'gotk',
    metrics: [
      {
        name: 'resource_info',
        help: resourceHelp(kind),
        each: { type: 'Info', info: { labelsFromPath: { name: ['metadata', 'name'] } } },
        labelsFromPath: resourceLabels(kind),
      },
    ],
  };
}

/** The file `--custom-resource-state-config-file` reads. */
export function customResourceStateConfig(release: FluxRelease) {
  return { kind: 'CustomResourceStateMetrics', spec: { resources: kindApisOf(release).map(resourceMetrics) } };
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
 * Values for the kube-prometheus-stack chart: adds the Flux resources to its kube-state-metrics. Deliberately no
 * `collectors: []` or `--custom-resource-state-only`: those would drop the standard kube-state-metrics metrics.
 */
export function kubePrometheusStackValues(release: FluxRelease) {
  return {
    'kube-state-metrics': {
      rbac: { extraRules: [fluxReadRule(release)] },
      customResourceState: { enabled: true, config: customResourceStateConfig(release) },
    },
  };
}
