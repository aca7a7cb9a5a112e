/** Which Flux release the build is for: `fluxVersion` as the user writes it, checked and cut to its minor release. */
import type { Flavor } from '../model/flavors';
import { fluxReleases, newestFluxRelease, newestLegacyRelease, type FluxRelease } from '../model/flux-releases';
import { ConfigError } from './errors';

const versionText = /^v?(\d+)\.(\d+)(?:\.\d+)?$/;
const quoted = (text: string) => JSON.stringify(text);

/** `2.3`, `v2.3` and `v2.3.1` name release 2.3; anything else, or a release this package does not know, is refused. */
export function parseFluxRelease(version: string): FluxRelease {
  const match = versionText.exec(version);
  const minor = match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
  const release = fluxReleases.find((known) => known === minor);
  if (release) return release;
  throw new ConfigError(
    `fluxVersion is ${quoted(version)}; allowed: a Flux release from ${fluxReleases[0]} to ${newestFluxRelease}, ` +
      'as `flux version` prints it (e.g. "2.3" or "v2.3.1")',
  );
}

/** The release the build is for: the one given, else the newest the flavour serves (only legacy has a limit). */
export function fluxReleaseFor(flavor: Flavor | undefined, version: string | undefined): FluxRelease {
  if (version === undefined) return flavor === 'legacy' ? newestLegacyRelease : newestFluxRelease;
  const release = parseFluxRelease(version);
  if (flavor === 'legacy' && fluxReleases.indexOf(release) > fluxReleases.indexOf(newestLegacyRelease)) {
    throw new ConfigError(
      `fluxVersion is ${quoted(version)} but flavor "legacy" reads gotk_reconcile_condition, ` +
        'which Flux 2.5 and later no longer write; ' +
        `allowed with legacy: ${fluxReleases[0]} to ${newestLegacyRelease} ` +
        `(use flavor "kube-state-metrics" for ${release})`,
    );
  }
  return release;
}
