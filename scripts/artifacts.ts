/** Everything the build writes, as file contents keyed by their path under the output folder. */
import type { Config } from '../config';
import { buildDashboards } from '../dashboards';
import { alertArtifacts } from '../alerts';
import { packageArtifacts } from '../packaging';
import { scrapeArtifacts } from '../scrape';

/** 2-space JSON with a final newline: the same bytes on every run. */
export const toJsonFile = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export type Artifacts = Map<string, string>;

export function dashboardArtifacts(config: Config): Artifacts {
  return new Map(buildDashboards(config).map((json) => [`grafana/${json.uid}.json`, toJsonFile(json)]));
}

/** Dashboards, scrape configuration and alert rules first; the Kubernetes packaging wraps whatever they made. */
export function renderArtifacts(config: Config): Artifacts {
  const artifacts: Artifacts = new Map([...dashboardArtifacts(config), ...scrapeArtifacts(config), ...alertArtifacts(config)]);
  return packageArtifacts(config, artifacts);
}
