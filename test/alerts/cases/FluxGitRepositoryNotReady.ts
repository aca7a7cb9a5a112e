import { alertCases, helmRepository, repository } from './context';
import { notReadyCases } from './not-ready';

export default alertCases('FluxGitRepositoryNotReady', (c) =>
  notReadyCases(c, repository, 'every object built from it is stuck on its last artifact', helmRepository));
