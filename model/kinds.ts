/** The Flux object kinds: their API (from `flux-releases.ts`), the controller reconciling them and what they are. */
import type { Flavor } from './flavors';
import {
  fluxReleases, isAtLeast, kindApiOf, kindApisOf, legacyReadiness, newestFluxRelease, optionalComponents,
  type FluxRelease,
} from './flux-releases';

export interface FluxKind {
  kind: string;
  group: string;
  /** The version the newest Flux release serves (`model/flux-releases.ts` has every release's). */
  version: string;
  plural: string;
  /** The Deployment that reconciles it. */
  deployment: string;
  /** `controller` / work queue `name` label of controller-runtime metrics. */
  controller: string;
  /** Sources produce artifacts; appliers apply them; the rest automate images or notify. */
  role: 'applier' | 'source' | 'image' | 'notification';
  /** Alert and Provider have no Ready condition (since notification v1beta3, Flux 2.2). */
  hasReady: boolean;
  /** The Flux release the kind arrived in: older releases serve no such kind. */
  since: FluxRelease;
  /** Whether a controller-runtime controller named `controller` reconciles it (ExternalArtifact: none, written). */
  reconciled: boolean;
}

function kind(name: string, deployment: string, role: FluxKind['role'], reconciled = true): FluxKind {
  const { group, version, plural, hasConditions } = kindApiOf(name, newestFluxRelease);
  const controller = name.toLowerCase();
  const since = fluxReleasesServing(name)[0]!;
  const hasReady = hasConditions;
  return { kind: name, group, version, plural, deployment, controller, role, hasReady, since, reconciled };
}

const fluxReleasesServing = (name: string) =>
  fluxReleases.filter((release) => kindApisOf(release).some((api) => api.kind === name));

export const fluxKinds: readonly FluxKind[] = [
  kind('Kustomization', 'kustomize-controller', 'applier'),
  kind('HelmRelease', 'helm-controller', 'applier'),
  kind('GitRepository', 'source-controller', 'source'),
  kind('OCIRepository', 'source-controller', 'source'),
  kind('Bucket', 'source-controller', 'source'),
  kind('HelmRepository', 'source-controller', 'source'),
  kind('HelmChart', 'source-controller', 'source'),
  // Written by source-watcher for each ArtifactGenerator output; source-controller serves its CRD, reconciles none.
  kind('ExternalArtifact', 'source-watcher', 'source', false),
  kind('ArtifactGenerator', 'source-watcher', 'source'),
  kind('ImageRepository', 'image-reflector-controller', 'image'),
  kind('ImagePolicy', 'image-reflector-controller', 'image'),
  kind('ImageUpdateAutomation', 'image-automation-controller', 'image'),
  kind('Receiver', 'notification-controller', 'notification'),
  kind('Alert', 'notification-controller', 'notification'),
  kind('Provider', 'notification-controller', 'notification'),
];

/**
 * Every Flux API group, for a `=~` matcher: `source.toolkit.fluxcd.io`… and, since Flux 2.7, source-watcher's
 * `source.extensions.fluxcd.io`.
 */
export const fluxApiGroupsRegex = '[a-z]+[.](toolkit|extensions)[.]fluxcd[.]io';

export const fluxDeployments = [...new Set(fluxKinds.map((k) => k.deployment))];

/** The kinds a controller-runtime controller reconciles, named as its `controller` label. */
export const reconciledKinds = fluxKinds.filter((k) => k.reconciled);

/** The kinds Flux `release` serves. */
export const kindsServedIn = (release: FluxRelease) => fluxKinds.filter((k) => isAtLeast(release, k.since));

/**
 * The Flux controllers as fluxcd/flux2's `manifests/bases/` install them. `optional`: `flux install` adds it only with
 * `--components-extra`, so not running is no fault. `reconcileDuration`: it records `gotk_reconcile_duration_seconds`
 * (source-watcher has no fluxcd/pkg metrics helper; controller-runtime's metrics it has).
 */
export interface FluxController {
  deployment: string;
  since: FluxRelease;
  optional: boolean;
  reconcileDuration: boolean;
}

const fluxController = (deployment: string, since: FluxRelease = '2.0', reconcileDuration = true): FluxController => ({
  deployment, since, optional: optionalComponents.has(deployment), reconcileDuration,
});

export const fluxControllers: readonly FluxController[] = [
  fluxController('source-controller'),
  fluxController('kustomize-controller'),
  fluxController('helm-controller'),
  fluxController('notification-controller'),
  fluxController('image-reflector-controller'),
  fluxController('image-automation-controller'),
  fluxController('source-watcher', '2.7', false),
];

/** Controllers whose absence is no fault: a `down` panel or alert must not count them missing. */
export const optionalControllers = fluxControllers.filter((c) => c.optional).map((c) => c.deployment);
/** Controllers every Flux installation runs. */
export const requiredControllers = fluxControllers.filter((c) => !c.optional).map((c) => c.deployment);
/** Controllers that record no `gotk_reconcile_duration_seconds`. */
export const controllersWithoutReconcileDuration = fluxControllers
  .filter((c) => !c.reconcileDuration).map((c) => c.deployment);
/** Kinds with a `gotk_reconcile_duration_seconds` series: reconciled by a controller recording it, Ready-bearing. */
export const timedKinds = fluxKinds
  .filter((k) => k.hasReady && k.reconciled && !controllersWithoutReconcileDuration.includes(k.deployment));

/**
 * The kinds of Flux `release` whose readiness the flavour's metric leaves out. kube-state-metrics and the Flux Operator
 * report every kind (Alert and Provider have no Ready since 2.2, so report none). The legacy metric
 * (`gotk_reconcile_condition`) lost HelmRelease in 2.2 (helm-controller v0.37), ImageUpdateAutomation in 2.3
 * (image-automation-controller v0.38) and every other kind in 2.5; source-watcher never wrote it.
 */
export function kindsWithoutReadiness(flavor: Flavor, release: FluxRelease): FluxKind[] {
  if (flavor !== 'legacy') return [];
  return kindsServedIn(release).filter((k) => !legacyReadinessWritten(k, release));
}

/** Whether the controller of `kind` writes `gotk_reconcile_condition` in Flux `release`. */
export function legacyReadinessWritten(kind: Pick<FluxKind, 'kind' | 'deployment'>, release: FluxRelease): boolean {
  const last = legacyReadiness.lastReleaseOf[kind.deployment];
  return last !== undefined && isAtLeast(last, release);
}

/** What follows the Deployment's name in its pods' names: the ReplicaSet's hash and the pod's own suffix. */
export const deploymentPodSuffix = '-[a-z0-9]+-[a-z0-9]+';

/** A regex matching the given kinds, for a `=~` matcher. */
export function kindsRegex(kinds: readonly FluxKind[], field: 'kind' | 'controller' = 'kind'): string {
  return kinds.map((k) => k[field]).join('|');
}

export const kindsOfRole = (role: FluxKind['role']) => fluxKinds.filter((k) => k.role === role);
