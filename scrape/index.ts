import type { Config } from '../config';

/** Files this module adds to the build, by path under the output folder. Placeholder until implemented. */
export function scrapeArtifacts(_config: Config): Map<string, string> {
  return new Map();
}
