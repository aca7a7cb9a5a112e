import { isAtLeast } from '../../../model';
import { alertCases, podinfo, release } from './context';
import { notReadyCases } from './not-ready';

/** helm-controller writes no legacy readiness from Flux 2.2: the legacy flavour has no HelmRelease rule there. */
export default alertCases('FluxHelmReleaseNotReady', (c) =>
  c.legacy && !isAtLeast('2.1', c.config.fluxVersion)
    ? []
    : notReadyCases(c, release, 'the cluster no longer follows its source', podinfo));
