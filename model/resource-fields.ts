/**
 * Where each Flux kind keeps what `gotk_resource_info` reports: field paths in its objects, as kube-state-metrics'
 * CustomResourceState `labelsFromPath` reads them (its docs/metrics/extend/customresourcestate-metrics.md). The paths
 * follow the Flux CRDs (status conditions as kstatus names them).
 */
import type { LabelOf } from './catalogue';

/** A label of `gotk_resource_info` (checked against the catalogue) and the path kube-state-metrics reads it from. */
type ResourceLabel = Exclude<LabelOf<'gotk_resource_info'>, 'name'>;
export type LabelPaths = Partial<Record<ResourceLabel, string[]>>;

const condition = (type: string, field: 'status' | 'reason') => ['status', 'conditions', `[type=${type}]`, field];

/** Every kind: its namespace and whether it is suspended. */
export const commonLabels: LabelPaths = {
  exported_namespace: ['metadata', 'namespace'],
  suspended: ['spec', 'suspend'],
};

/** Kinds with status conditions: Ready (status and reason), Reconciling and Stalled (kstatus). */
export const conditionLabels: LabelPaths = {
  ready: condition('Ready', 'status'),
  ready_reason: condition('Ready', 'reason'),
  reconciling: condition('Reconciling', 'status'),
  stalled: condition('Stalled', 'status'),
};

const artifactRevision: LabelPaths = { revision: ['status', 'artifact', 'revision'] };
const latestRelease = (field: string) => ['status', 'history', '0', field];

/** What each kind adds: the revision it holds, and where it reads from. */
export const kindLabels: Record<string, LabelPaths> = {
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
