import type { Config } from '../config';

/** Adds the Kubernetes packaging of the other artifacts. Placeholder until implemented. */
export function packageArtifacts(_config: Config, artifacts: Map<string, string>): Map<string, string> {
  return artifacts;
}
