/**
 * The Flux object kinds each Flux minor release serves, and the one API version of each that kube-state-metrics
 * should watch: read from the CRDs (`config/crd/bases/`) of the controller releases each fluxcd/flux2 release tag
 * installs, listed in test/scrape/fixtures/flux-releases/SOURCES.md.
 * kube-state-metrics watches every group/version it is given and skips one the cluster does not serve, so naming a
 * version too new loses the kind and naming two served versions counts every object twice: one version per kind.
 */
import type { MetricName } from './catalogue';

/**
 * The Flux minor releases the package builds for, oldest first. Patch releases serve the same API versions as their
 * minor release.
 */
export const fluxReleases = ['2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9'] as const;
export type FluxRelease = (typeof fluxReleases)[number];
export const newestFluxRelease: FluxRelease = fluxReleases[fluxReleases.length - 1]!;

/** The newest release that writes `gotk_reconcile_condition` and `gotk_suspend_status` (2.5 removed them). */
export const newestLegacyRelease: FluxRelease = '2.4';

/** The API a kind has in one release. */
export interface KindApi {
  kind: string;
  group: string;
  /** The CRD's storage version: always served, and the one `kubectl get` prefers. */
  version: string;
  plural: string;
  /** The Flux component whose CRD it is; the ones `flux install` leaves out unless asked are `optional`. */
  component: string;
  optional: boolean;
  /** Whether objects of this version carry status conditions (Ready, Reconciling, Stalled). */
  hasConditions: boolean;
}

interface KindHistory {
  kind: string;
  group: string;
  component: string;
  /** The release each storage version arrived in, oldest first; the first entry is the release the kind arrived in. */
  versions: ReadonlyArray<readonly [FluxRelease, string]>;
  /** Versions whose objects have no status conditions (notification v1beta3 Alert and Provider are static). */
  withoutConditions?: readonly string[];
}

const toolkit = (name: string) => `${name}.toolkit.fluxcd.io`;

/** Components `flux install` and `flux bootstrap` add only with `--components-extra` (cmd/flux/install.go). */
export const optionalComponents = new Set([
  'image-reflector-controller',
  'image-automation-controller',
  'source-watcher',
]);

const kindHistories: readonly KindHistory[] = [
  { kind: 'Kustomization', group: toolkit('kustomize'), component: 'kustomize-controller', versions: [['2.0', 'v1']] },
  {
    kind: 'HelmRelease',
    group: toolkit('helm'),
    component: 'helm-controller',
    versions: [
      ['2.0', 'v2beta1'],
      ['2.2', 'v2beta2'],
      ['2.3', 'v2'],
    ],
  },
  { kind: 'GitRepository', group: toolkit('source'), component: 'source-controller', versions: [['2.0', 'v1']] },
  {
    kind: 'OCIRepository',
    group: toolkit('source'),
    component: 'source-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.6', 'v1'],
    ],
  },
  {
    kind: 'Bucket',
    group: toolkit('source'),
    component: 'source-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.4', 'v1'],
    ],
  },
  {
    kind: 'HelmRepository',
    group: toolkit('source'),
    component: 'source-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.3', 'v1'],
    ],
  },
  {
    kind: 'HelmChart',
    group: toolkit('source'),
    component: 'source-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.3', 'v1'],
    ],
  },
  { kind: 'ExternalArtifact', group: toolkit('source'), component: 'source-controller', versions: [['2.7', 'v1']] },
  {
    kind: 'ImageRepository',
    group: toolkit('image'),
    component: 'image-reflector-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.7', 'v1'],
    ],
  },
  {
    kind: 'ImagePolicy',
    group: toolkit('image'),
    component: 'image-reflector-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.7', 'v1'],
    ],
  },
  {
    kind: 'ImageUpdateAutomation',
    group: toolkit('image'),
    component: 'image-automation-controller',
    versions: [
      ['2.0', 'v1beta1'],
      ['2.3', 'v1beta2'],
      ['2.7', 'v1'],
    ],
  },
  { kind: 'Receiver', group: toolkit('notification'), component: 'notification-controller', versions: [['2.0', 'v1']] },
  {
    kind: 'Alert',
    group: toolkit('notification'),
    component: 'notification-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.2', 'v1beta3'],
    ],
    withoutConditions: ['v1beta3'],
  },
  {
    kind: 'Provider',
    group: toolkit('notification'),
    component: 'notification-controller',
    versions: [
      ['2.0', 'v1beta2'],
      ['2.2', 'v1beta3'],
    ],
    withoutConditions: ['v1beta3'],
  },
  {
    kind: 'ArtifactGenerator',
    group: 'source.extensions.fluxcd.io',
    component: 'source-watcher',
    versions: [['2.7', 'v1beta1']],
  },
];

const releaseIndex = (release: FluxRelease) => fluxReleases.indexOf(release);

/** `Kustomization` → `kustomizations`, `GitRepository` → `gitrepositories`. */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

function apiIn(history: KindHistory, release: FluxRelease): KindApi | undefined {
  const current = history.versions.filter(([since]) => releaseIndex(since) <= releaseIndex(release)).at(-1);
  if (!current) return undefined;
  const version = current[1];
  return {
    kind: history.kind,
    group: history.group,
    version,
    plural: pluralOf(history.kind),
    component: history.component,
    optional: optionalComponents.has(history.component),
    hasConditions: !history.withoutConditions?.includes(version),
  };
}

/** Every kind the release serves, with the one version kube-state-metrics should watch. */
export function kindApisOf(release: FluxRelease): KindApi[] {
  return kindHistories.flatMap((history) => apiIn(history, release) ?? []);
}

/** One kind's API in a release; throws when the release does not have the kind. */
export function kindApiOf(kind: string, release: FluxRelease): KindApi {
  const api = kindApisOf(release).find((candidate) => candidate.kind === kind);
  if (!api) throw new Error(`Flux ${release} has no kind ${kind}`);
  return api;
}

/**
 * Controller metrics that later controller-runtime releases brought: on an older Flux a query that
 * needs them returns nothing. `label` absent: the whole metric is new.
 */
export const controllerMetricsSince: ReadonlyArray<{ metric: MetricName; label?: string; since: FluxRelease }> = [
  { metric: 'controller_runtime_reconcile_panics_total', since: '2.4' },
  ...(
    [
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_retries_total',
      'workqueue_queue_duration_seconds',
      'workqueue_work_duration_seconds',
      'workqueue_unfinished_work_seconds',
      'workqueue_longest_running_processor_seconds',
    ] as const
  ).map((metric) => ({ metric, label: 'controller', since: '2.4' as FluxRelease })),
  { metric: 'workqueue_depth', label: 'priority', since: '2.6' },
];

/** Whether `release` is `since` or newer. */
export const isAtLeast = (release: FluxRelease, since: FluxRelease) => releaseIndex(release) >= releaseIndex(since);

/** Whether the controllers of Flux `release` write `metric` (with `label`, when one is given). */
export function releaseWrites(release: FluxRelease, metric: MetricName, label?: string): boolean {
  return controllerMetricsSince
    .filter((entry) => entry.metric === metric && (entry.label === undefined || entry.label === label))
    .every((entry) => isAtLeast(release, entry.since));
}

/**
 * Readiness in the controllers' own metrics (`gotk_reconcile_condition`, `gotk_suspend_status`): helm-controller
 * stopped writing them in Flux 2.2 (v0.37.0), image-automation-controller in 2.3 (v0.38.0), the other controllers in
 * 2.5 (source-controller v1.5.0…); source-watcher (2.7) never did. `status="Deleted"` marked deleted objects before
 * 2.1.
 */
export const legacyReadiness = {
  lastRelease: newestLegacyRelease,
  helmReleaseLastRelease: '2.1' as FluxRelease,
  deletedStatusLastRelease: '2.0' as FluxRelease,
  /** The last release whose controller writes them, per Deployment; absent: never. */
  lastReleaseOf: {
    'source-controller': newestLegacyRelease,
    'kustomize-controller': newestLegacyRelease,
    'helm-controller': '2.1',
    'notification-controller': newestLegacyRelease,
    'image-reflector-controller': newestLegacyRelease,
    'image-automation-controller': '2.2',
  } as Readonly<Record<string, FluxRelease>>,
};
