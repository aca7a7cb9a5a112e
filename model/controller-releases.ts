/**
 * The controller releases each Flux minor release ships, read from fluxcd/flux2's
 * `manifests/bases/<controller>/kustomization.yaml` at the tags v2.0.0 … v2.9.0 (the `releases/download/vX.Y.Z` the
 * kustomization pulls). Patch releases of Flux move controllers' patch versions only, so a controller's
 * `major.minor` names the Flux minor release that ships it: what `init` reads from the image tags of
 * `kube_pod_container_info`.
 */
import type { FluxRelease } from './flux-releases';

/** The `major.minor` of each controller in each Flux minor release (source-watcher from 2.7). */
export const controllerReleases: Record<FluxRelease, Record<string, string>> = {
  '2.0': {
    'source-controller': '1.0', 'kustomize-controller': '1.0', 'helm-controller': '0.35',
    'notification-controller': '1.0', 'image-reflector-controller': '0.29', 'image-automation-controller': '0.35',
  },
  '2.1': {
    'source-controller': '1.1', 'kustomize-controller': '1.1', 'helm-controller': '0.36',
    'notification-controller': '1.1', 'image-reflector-controller': '0.30', 'image-automation-controller': '0.36',
  },
  '2.2': {
    'source-controller': '1.2', 'kustomize-controller': '1.2', 'helm-controller': '0.37',
    'notification-controller': '1.2', 'image-reflector-controller': '0.31', 'image-automation-controller': '0.37',
  },
  '2.3': {
    'source-controller': '1.3', 'kustomize-controller': '1.3', 'helm-controller': '1.0',
    'notification-controller': '1.3', 'image-reflector-controller': '0.32', 'image-automation-controller': '0.38',
  },
  '2.4': {
    'source-controller': '1.4', 'kustomize-controller': '1.4', 'helm-controller': '1.1',
    'notification-controller': '1.4', 'image-reflector-controller': '0.33', 'image-automation-controller': '0.39',
  },
  '2.5': {
    'source-controller': '1.5', 'kustomize-controller': '1.5', 'helm-controller': '1.2',
    'notification-controller': '1.5', 'image-reflector-controller': '0.34', 'image-automation-controller': '0.40',
  },
  '2.6': {
    'source-controller': '1.6', 'kustomize-controller': '1.6', 'helm-controller': '1.3',
    'notification-controller': '1.6', 'image-reflector-controller': '0.35', 'image-automation-controller': '0.41',
  },
  '2.7': {
    'source-controller': '1.7', 'kustomize-controller': '1.7', 'helm-controller': '1.4',
    'notification-controller': '1.7', 'image-reflector-controller': '1.0', 'image-automation-controller': '1.0',
    'source-watcher': '2.0',
  },
  '2.8': {
    'source-controller': '1.8', 'kustomize-controller': '1.8', 'helm-controller': '1.5',
    'notification-controller': '1.8', 'image-reflector-controller': '1.1', 'image-automation-controller': '1.1',
    'source-watcher': '2.1',
  },
  '2.9': {
    'source-controller': '1.9', 'kustomize-controller': '1.9', 'helm-controller': '1.6',
    'notification-controller': '1.9', 'image-reflector-controller': '1.2', 'image-automation-controller': '1.2',
    'source-watcher': '2.2',
  },
};

/** The image tag of a controller in a Flux release, at patch 0: what the fleet's pods run when emulating it. */
export const controllerImageTag = (release: FluxRelease, controller: string): string | undefined => {
  const minor = controllerReleases[release][controller];
  return minor === undefined ? undefined : `v${minor}.0`;
};

/** The Flux release shipping `controller` at `tag` (`v1.4.1`, `v1.4.1@sha256:…`); undefined when none does. */
export function fluxReleaseOfImage(controller: string, tag: string): FluxRelease | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(tag);
  if (!match) return undefined;
  const minor = `${Number(match[1])}.${Number(match[2])}`;
  const entry = Object.entries(controllerReleases).find(([, controllers]) => controllers[controller] === minor);
  return entry?.[0] as FluxRelease | undefined;
}
