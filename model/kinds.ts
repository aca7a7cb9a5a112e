/** The Flux object kinds (FLUX-FACTS.md §1, §3): their API, the controller that reconciles them and what they are. */

export interface FluxKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  /** The Deployment that reconciles it. */
  deployment: string;
  /** `controller` / work queue `name` label of controller-runtime metrics. */
  controller: string;
  /** Sources produce artifacts; appliers apply them; the rest automate images or notify. */
  role: 'applier' | 'source' | 'image' | 'notification';
  /** Alert and Provider have no Ready condition. */
  hasReady: boolean;
}

const kind = (
  name: string, group: string, version: string, deployment: string, role: FluxKind['role'], hasReady = true,
): FluxKind => ({
  kind: name,
  group: `${group}.toolkit.fluxcd.io`,
  version,
  plural: name.toLowerCase().endsWith('y') ? `${name.toLowerCase().slice(0, -1)}ies` : `${name.toLowerCase()}s`,
  deployment,
  controller: name.toLowerCase(),
  role,
  hasReady,
});

export const fluxKinds: readonly FluxKind[] = [
  kind('Kustomization', 'kustomize', 'v1', 'kustomize-controller', 'applier'),
  kind('HelmRelease', 'helm', 'v2', 'helm-controller', 'applier'),
  kind('GitRepository', 'source', 'v1', 'source-controller', 'source'),
  kind('OCIRepository', 'source', 'v1', 'source-controller', 'source'),
  kind('Bucket', 'source', 'v1', 'source-controller', 'source'),
  kind('HelmRepository', 'source', 'v1', 'source-controller', 'source'),
  kind('HelmChart', 'source', 'v1', 'source-controller', 'source'),
  kind('ImageRepository', 'image', 'v1', 'image-reflector-controller', 'image'),
  kind('ImagePolicy', 'image', 'v1', 'image-reflector-controller', 'image'),
  kind('ImageUpdateAutomation', 'image', 'v1', 'image-automation-controller', 'image'),
  kind('Receiver', 'notification', 'v1', 'notification-controller', 'notification'),
  kind('Alert', 'notification', 'v1beta3', 'notification-controller', 'notification', false),
  kind('Provider', 'notification', 'v1beta3', 'notification-controller', 'notification', false),
];

export const fluxDeployments = [...new Set(fluxKinds.map((k) => k.deployment))];

/** What follows the Deployment's name in its pods' names: the ReplicaSet's hash and the pod's own suffix. */
export const deploymentPodSuffix = '-[a-z0-9]+-[a-z0-9]+';

/** A regex matching the given kinds, for a `=~` matcher. */
export function kindsRegex(kinds: readonly FluxKind[], field: 'kind' | 'controller' = 'kind'): string {
  return kinds.map((k) => k[field]).join('|');
}

export const kindsOfRole = (role: FluxKind['role']) => fluxKinds.filter((k) => k.role === role);
