/** Everything the build writes, as file contents keyed by their path under the output folder. */
import type { Config } from '../config';
import { buildDashboardSet, buildDashboards, type DashboardJson } from '../dashboards';
import { alertingArtifacts } from '../alerts';
import { dashboardFile } from '../model/outputs';
import { toJsonFile, type Artifacts } from '../output';
import { packageArtifacts, type DashboardFile } from '../packaging';
import { scrapeArtifacts } from '../scrape';

export { toJsonFile, type Artifacts } from '../output';

/** Each dashboard with the exact bytes of its JSON file. */
export function dashboardFiles(config: Config): DashboardFile[] {
  return buildDashboards(config).map(dashboardFileOf);
}

const dashboardFileOf = (json: DashboardJson): DashboardFile => ({
  uid: json.uid,
  title: json.title,
  json: toJsonFile(json),
});

export function dashboardArtifacts(config: Config): Artifacts {
  return new Map(dashboardFiles(config).map((dashboard) => [dashboardFile(dashboard), dashboard.json]));
}

/** The files of several modules in one map; two modules writing the same path is a bug, not a choice. */
export function mergeArtifacts(...parts: Artifacts[]): Artifacts {
  const merged: Artifacts = new Map();
  for (const part of parts) {
    for (const [path, content] of part) {
      if (merged.has(path)) {
        throw new Error(`${path} is written by two modules of the build; give one of them another path.`);
      }
      merged.set(path, content);
    }
  }
  return merged;
}

/**
 * Dashboards, scrape configuration and alert rules (Grafana-managed rules link to the built dashboards' panels), and
 * the Kubernetes packaging of the dashboards, scrape configuration and Prometheus rules.
 */
export function renderArtifacts(config: Config): Artifacts {
  const built = buildDashboardSet(config);
  const scrape = scrapeArtifacts(config);
  const alerts = alertingArtifacts(config, built.panelIds);
  const dashboards = [...built.dashboards.map(dashboardFileOf), ...alerts.dashboards];
  const manifests = [...scrape.manifests, ...alerts.manifests];
  return mergeArtifacts(
    new Map(dashboards.map((dashboard) => [dashboardFile(dashboard), dashboard.json])),
    scrape.files,
    alerts.files,
    packageArtifacts(config, { dashboards, manifests }),
  );
}
