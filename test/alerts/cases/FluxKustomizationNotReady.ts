import { alertCases, podinfo, release } from './context';
import { notReadyCases } from './not-ready';

export default alertCases('FluxKustomizationNotReady', (c) =>
  notReadyCases(c, podinfo, 'the cluster no longer follows its source', release));
