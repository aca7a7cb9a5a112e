/**
 * A synthetic Flux fleet: clusters, controller pods and Flux objects in known states. The OpenMetrics writer
 * (`openmetrics.ts`) turns it into the series a real installation would have; the tests compare what the dashboards
 * and alert rules find with what is here.
 */
import { newestFluxRelease, type Flavor, type FluxRelease, type ObjectNamespaceLabel } from '../../config';
import { isAtLeast, kindApiOf, legacyReadiness } from '../../model/flux-releases';
import { fluxKinds, type FluxKind } from '../../model/kinds';
import { Random } from './random';

export interface FleetOptions {
  seed: number;
  /** How many clusters; more than one needs a cluster label. */
  clusters: number;
  clusterLabel: string | null;
  /** Live objects of each kind in each cluster. */
  objectsPerKind: number;
  /** Namespaces the objects are spread over. */
  namespaces: number;
  flavor: Flavor;
  /** The Flux release the fleet runs: its API versions, and the metrics and labels its controllers write. */
  fluxVersion: FluxRelease;
  objectNamespaceLabel: ObjectNamespaceLabel;
  fluxNamespace: string;
  /** Last sample time, Unix seconds (a multiple of the scrape interval). */
  end: number;
  /** Seconds of history before `end`. */
  duration: number;
  scrapeInterval: number;
}

export const defaultFleetOptions: Omit<FleetOptions, 'end'> = {
  seed: 2026,
  clusters: 3,
  clusterLabel: 'cluster',
  objectsPerKind: 8,
  namespaces: 4,
  flavor: 'kube-state-metrics',
  fluxVersion: newestFluxRelease,
  objectNamespaceLabel: 'exported_namespace',
  fluxNamespace: 'flux-system',
  duration: 3 * 3600,
  scrapeInterval: 30,
};

export type ReadyStatus = 'True' | 'False' | 'Unknown';

/** What the generator made an object: each object has exactly one. */
export type ObjectRole = 'ready' | 'failing' | 'stalled' | 'unknown' | 'suspended' | 'slow' | 'recovered' | 'deleted';

export interface FluxObject {
  cluster: string;
  kind: FluxKind;
  namespace: string;
  name: string;
  role: ObjectRole;
  /** Ready condition at the end; null for kinds without one (Alert and Provider under kube-state-metrics). */
  ready: ReadyStatus | null;
  readyReason: string;
  suspended: boolean;
  stalled: boolean;
  /** Reconciles take far longer than the rest (minutes). */
  slow: boolean;
  /**
   * Deleted before the end: kube-state-metrics drops its series; the legacy metrics mark it status="Deleted"
   * (Flux 2.0) or drop it.
   */
  deletedAt: number | null;
  /** Ready=False until this time, Ready=True after (only role `recovered`). */
  recoveredAt: number | null;
  /** Seconds between reconciles, the first at `phase` after the start; suspended objects never reconcile. */
  interval: number;
  phase: number;
  /** Typical seconds one reconcile takes. */
  reconcileSeconds: number;
  revision: string;
  /** Kind-specific `gotk_resource_info` labels (url, chart_name…). */
  extraLabels: Record<string, string>;
}

export interface ControllerPod {
  cluster: string;
  deployment: string;
  pod: string;
  instance: string;
  /** controller-runtime controller names this pod runs (lower-case kinds). */
  controllers: string[];
  image: string;
  /** From this time on the pod's metrics endpoint fails (up 0) and it crash-loops. */
  downAt: number | null;
}

export interface Fleet {
  options: FleetOptions;
  clusters: string[];
  /** Every object ever made, deleted ones included. */
  objects: FluxObject[];
  pods: ControllerPod[];
}

const clusterNames = ['production-eu', 'production-us', 'staging', 'development', 'edge-1', 'edge-2'];
const namespaceNames = ['flux-system', 'apps', 'infrastructure', 'team-a', 'team-b', 'monitoring', 'data', 'ingress'];

/** Controller versions of Flux 2.9 (FLUX-FACTS.md). */
const controllerVersions: Record<string, string> = {
  'source-controller': 'v1.9.0',
  'kustomize-controller': 'v1.9.0',
  'helm-controller': 'v1.6.0',
  'notification-controller': 'v1.9.0',
  'image-reflector-controller': 'v1.2.0',
  'image-automation-controller': 'v1.2.0',
};

/** Kinds `gotk_reconcile_duration_seconds` reports (FLUX-FACTS.md §1): all but Alert and Provider. */
export const timedKinds = new Set(fluxKinds.filter((k) => k.hasReady).map((k) => k.kind));

const typicalInterval: Record<FluxKind['role'], number> = { applier: 600, source: 300, image: 300, notification: 600 };
const failureReason: Record<FluxKind['role'], string> = {
  applier: 'ReconciliationFailed',
  source: 'FetchFailed',
  image: 'ReconciliationFailed',
  notification: 'ValidationFailed',
};

function kindLabels(kind: FluxKind, name: string, namespace: string, random: Random): { revision: string; labels: Record<string, string> } {
  const sha = random.hex(40);
  const gitRevision = `main@sha1:${sha}`;
  switch (kind.kind) {
    case 'Kustomization':
      return { revision: gitRevision, labels: { source_name: `repo-${random.integer(0, 9)}` } };
    case 'HelmRelease': {
      const version = `${random.integer(1, 9)}.${random.integer(0, 20)}.${random.integer(0, 9)}`;
      const chart: Record<string, string> = random.chance(0.5) ? { chart_ref_name: name } : { chart_source_name: `charts-${random.integer(0, 4)}` };
      return { revision: version, labels: { chart_name: name, chart_app_version: `v${version}`, ...chart } };
    }
    case 'GitRepository':
      return { revision: gitRevision, labels: { url: `https://github.com/example/${name}.git` } };
    case 'OCIRepository':
      return { revision: `latest@sha256:${random.hex(64)}`, labels: { url: `oci://ghcr.io/example/${name}` } };
    case 'HelmRepository':
      return { revision: `sha256:${random.hex(64)}`, labels: { url: `https://charts.example.com/${name}` } };
    case 'Bucket':
      return { revision: `sha256:${random.hex(64)}`, labels: { endpoint: 's3.amazonaws.com', bucket_name: `${namespace}-${name}` } };
    case 'HelmChart': {
      const version = `${random.integer(1, 9)}.${random.integer(0, 20)}.${random.integer(0, 9)}`;
      return { revision: version, labels: { chart_name: name, chart_version: version } };
    }
    case 'Receiver':
      return { revision: '', labels: { webhook_path: `/hook/${random.hex(64)}` } };
    case 'ImageRepository':
      return { revision: '', labels: { image: `ghcr.io/example/${name}` } };
    case 'ImagePolicy':
    case 'ImageUpdateAutomation':
      return { revision: '', labels: { source_name: `images-${random.integer(0, 9)}` } };
    default:
      return { revision: '', labels: {} };
  }
}

/** The roles every kind gets at least once (when it has enough objects), then the rest mostly ready. */
function rolesOf(kind: FluxKind, count: number, random: Random): ObjectRole[] {
  const guaranteed: ObjectRole[] = kind.hasReady
    ? ['failing', 'suspended', 'stalled', 'unknown', 'slow', 'recovered']
    : ['suspended'];
  const roles = Array.from({ length: count }, (_, index): ObjectRole => {
    if (index < guaranteed.length) return guaranteed[index]!;
    const draw = random.next();
    if (!kind.hasReady) return draw < 0.05 ? 'suspended' : 'ready';
    if (draw < 0.05) return 'failing';
    if (draw < 0.08) return 'suspended';
    if (draw < 0.1) return 'stalled';
    if (draw < 0.12) return 'unknown';
    if (draw < 0.14) return 'slow';
    return 'ready';
  });
  return random.shuffle(roles);
}

/** Why a failing object is not ready: a failing Kustomization finds no artifact (FluxSourceNotFound must name it). */
function failingReason(kind: FluxKind, role: ObjectRole): string {
  if (role === 'stalled') return 'InvalidSpec';
  return kind.kind === 'Kustomization' ? 'ArtifactFailed' : failureReason[kind.role];
}

function makeObject(
  options: FleetOptions, cluster: string, kind: FluxKind, index: number, role: ObjectRole, random: Random,
): FluxObject {
  const start = options.end - options.duration;
  const namespace = namespaceNames[index % Math.min(options.namespaces, namespaceNames.length)]!;
  const name = `${kind.controller}-${index}`;
  const { revision, labels } = kindLabels(kind, name, namespace, random);
  // Alert and Provider v1beta2 (Flux < 2.2) had conditions, and the controllers recorded their Ready; v1beta3 has none.
  const hasReady = kindApiOf(kind.kind, options.fluxVersion).hasConditions || options.flavor === 'legacy';
  const readyAtEnd: ReadyStatus = role === 'failing' || role === 'stalled' ? 'False' : role === 'unknown' ? 'Unknown' : 'True';
  const interval = role === 'slow' ? 150 : role === 'failing' || role === 'stalled' ? 120 : typicalInterval[kind.role] / random.integer(1, 2);
  return {
    cluster,
    kind,
    namespace,
    name,
    role,
    ready: hasReady ? readyAtEnd : null,
    readyReason: { True: 'ReconciliationSucceeded', False: failingReason(kind, role), Unknown: 'Progressing' }[readyAtEnd],
    suspended: role === 'suspended',
    stalled: role === 'stalled',
    slow: role === 'slow',
    deletedAt: role === 'deleted' ? options.end - Math.round(options.duration / 3) : null,
    recoveredAt: role === 'recovered' ? options.end - Math.round(options.duration / 2) : null,
    interval,
    phase: random.between(0, interval),
    reconcileSeconds: role === 'slow' ? random.between(700, 1100) : random.between(0.05, kind.role === 'applier' ? 8 : 2),
    revision,
    extraLabels: labels,
  };
}

function makePods(options: FleetOptions, cluster: string, clusterIndex: number, random: Random, isLastCluster: boolean): ControllerPod[] {
  const deployments = [...new Set(fluxKinds.map((k) => k.deployment))];
  return deployments.map((deployment, podIndex) => ({
    cluster,
    deployment,
    pod: `${deployment}-${random.suffix(9)}-${random.suffix(5)}`,
    instance: `10.${clusterIndex + 1}.${podIndex + 1}.${random.integer(2, 250)}:8080`,
    controllers: fluxKinds.filter((k) => k.deployment === deployment).map((k) => k.controller),
    image: `ghcr.io/fluxcd/${deployment}:${controllerVersions[deployment] ?? 'v1.0.0'}`,
    // One controller of the last cluster crash-loops for the last quarter hour: FluxSystemDown must name it.
    downAt: isLastCluster && deployment === 'image-automation-controller' ? options.end - 900 : null,
  }));
}

export function makeFleet(options: FleetOptions): Fleet {
  if (options.clusters > 1 && !options.clusterLabel) throw new Error('a fleet of several clusters needs a cluster label');
  if (options.flavor === 'legacy' && !isAtLeast(legacyReadiness.lastRelease, options.fluxVersion)) {
    throw new Error(`Flux ${options.fluxVersion} writes no legacy readiness metrics`);
  }
  if (options.end % options.scrapeInterval !== 0) throw new Error('the fleet must end on a multiple of the scrape interval');
  const random = new Random(options.seed);
  const clusters = clusterNames.slice(0, options.clusters);
  const objects: FluxObject[] = [];
  const pods: ControllerPod[] = [];
  clusters.forEach((cluster, clusterIndex) => {
    pods.push(...makePods(options, cluster, clusterIndex, random, clusterIndex === clusters.length - 1));
    for (const kind of fluxKinds) {
      const roles = rolesOf(kind, options.objectsPerKind, random);
      roles.forEach((role, index) => objects.push(makeObject(options, cluster, kind, index, role, random)));
      // One more object per kind that was deleted during the range: no count may include it.
      objects.push(makeObject(options, cluster, kind, roles.length, 'deleted', random));
    }
  });
  return { options, clusters, objects, pods };
}

/** The time the fleet ends: now, rounded down to a whole minute (and so to the scrape interval). */
export function fleetEnd(now = Date.now()): number {
  return Math.floor(now / 60_000) * 60;
}

// What the fleet holds at its end, for the tests to compare with

export const liveObjects = (fleet: Fleet) => fleet.objects.filter((object) => object.deletedAt === null);

/** Whether the fleet's controllers write `gotk_reconcile_condition` for the kind (helm-controller stopped in 2.2). */
export function legacyReadinessOf(fleet: Fleet, kind: FluxKind): boolean {
  return kind.kind !== 'HelmRelease' || isAtLeast(legacyReadiness.helmReleaseLastRelease, fleet.options.fluxVersion);
}

/**
 * The live objects Prometheus can see at the end. The legacy metrics come from the controllers themselves: the
 * objects of a controller that is down vanish with it (kube-state-metrics keeps reporting them), and so do the kinds
 * whose controller no longer writes them.
 */
export function visibleObjects(fleet: Fleet): FluxObject[] {
  if (fleet.options.flavor !== 'legacy') return liveObjects(fleet);
  const down = new Set(fleet.pods.filter((pod) => pod.downAt !== null).map((pod) => `${pod.cluster}|${pod.deployment}`));
  return liveObjects(fleet).filter(
    (object) => !down.has(`${object.cluster}|${object.kind.deployment}`) && legacyReadinessOf(fleet, object.kind),
  );
}

export interface StateCounts {
  total: number;
  ready: number;
  notReady: number;
  unknown: number;
  suspended: number;
  stalled: number;
  slow: number;
}

/** Objects by state, per cluster and kind: what the generator put in. */
export function fleetReport(fleet: Fleet, objects = liveObjects(fleet)): Record<string, Record<string, StateCounts>> {
  const report: Record<string, Record<string, StateCounts>> = {};
  for (const object of objects) {
    const counts = ((report[object.cluster] ??= {})[object.kind.kind] ??= {
      total: 0, ready: 0, notReady: 0, unknown: 0, suspended: 0, stalled: 0, slow: 0,
    });
    counts.total += 1;
    if (object.ready === 'True') counts.ready += 1;
    if (object.ready === 'False') counts.notReady += 1;
    if (object.ready === 'Unknown') counts.unknown += 1;
    if (object.suspended) counts.suspended += 1;
    if (object.stalled) counts.stalled += 1;
    if (object.slow) counts.slow += 1;
  }
  return report;
}

/** `kind/namespace/name` (and the cluster, when several), the identity the tests compare sets of objects by. */
export const objectKey = (cluster: string, kind: string, namespace: string, name: string) => `${cluster}|${kind}|${namespace}|${name}`;
