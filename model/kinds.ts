/** The Flux object kinds: their API (from `flux-releases.ts`), the controller reconciling them and what they are. */
import { newestFluxRelease } from './flux-releases';
import { kindApiOf } from './flux-releases';

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
}

function kind(name: string, deployment: string, role: FluxKind['role']): FluxKind {
  const { group, version, plural, hasConditions } = kindApiOf(name, newestFluxRelease);
  const controller = name.toLowerCase();
  return { kind: name, group, version, plural, deployment, controller, role, hasReady: hasConditions };
}

export const fluxKinds: readonly FluxKind[] = [
  kind('Kustomization', 'kustomize-controller', 'applier'),
  kind('HelmRelease', 'helm-controller', 'applier'),
  kind('GitRepository', 'source-controller', 'source'),
  kind('OCIRepository', 'source-controller', 'source'),
  kind('Bucket', 'source-controller', 'source'),
  kind('HelmRepository', 'source-controller', 'source'),
  kind('HelmChart', 'source-controller', 'source'),
  kind('ImageRepository', 'image-reflector-controller', 'image'),
  kind('ImagePolicy', 'image-reflector-controller', 'image'),
  kind('ImageUpdateAutomation', 'image-automation-controller', 'image'),
  kind('Receiver', 'notification-controller', 'notification'),
  kind('Alert', 'notification-controller', 'notification'),
  kind('Provider', 'notification-controller', 'notification'),
];

/** Every Flux API group (`source.toolkit.fluxcd.io`…), for a `=~` matcher. */
export const fluxApiGroupsRegex = '[a-z]+[.]toolkit[.]fluxcd[.]io';

export const fluxDeployments = [...new Set(fluxKinds.map((k) => k.deployment))];

/** What follows the Deployment's name in its pods' names: the ReplicaSet's hash and the pod's own suffix. */
export const deploymentPodSuffix = '-[a-z0-9]+-[a-z0-9]+';

/** A regex matching the given kinds, for a `=~` matcher. */
export function kindsRegex(kinds: readonly FluxKind[], field: 'kind' | 'controller' = 'kind'): string {
  return kinds.map((k) => k[field]).join('|');
}

export const kindsOfRole = (role: FluxKind['role']) => fluxKinds.filter((k) => k.role === role);
