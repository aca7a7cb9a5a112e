/**
 * Which Flux kinds a release leaves out of the readiness metric a flavour reads: the legacy flavour's
 * `gotk_reconcile_condition` lost HelmRelease in Flux 2.2 and every kind in 2.5 (fluxcd/flux2#5083); the other flavours
 * read kube-state-metrics or the Flux Operator, which report every kind the release serves.
 */
import type { Flavor } from '../model/flavors';
import { isAtLeast, kindApisOf, legacyReadiness, type FluxRelease } from '../model/flux-releases';
import { fluxReleases } from '../model/flux-releases';

const after = (release: FluxRelease) => fluxReleases[fluxReleases.indexOf(release) + 1]!;

/** The kinds of `release` whose readiness the flavour's metric does not carry. */
export function kindsMissingFromReadiness(flavor: Flavor, release: FluxRelease): string[] {
  if (flavor !== 'legacy') return [];
  const kinds = kindApisOf(release).map((api) => api.kind);
  if (isAtLeast(release, after(legacyReadiness.lastRelease))) return kinds;
  if (isAtLeast(release, after(legacyReadiness.helmReleaseLastRelease))) return ['HelmRelease'];
  return [];
}
