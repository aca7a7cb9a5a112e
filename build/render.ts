/**
 * Everything the build writes. The build makes each value once, typed (the dashboards, then what links to or wraps
 * them), and turns values into file contents only at the edge: each dashboard is serialised once, for its file and
 * for its Kubernetes packaging alike.
 */
import type { Config } from '../config';
import { buildDashboardSet, buildDashboards, type DashboardJson } from '../dashboards';
import { alertingArtifacts } from '../alerts';
import { dashboardFile } from '../model/outputs';
import { toJsonFile, type Artifacts } from '../output';
import { packageArtifacts, packageV2Artifacts, type DashboardFile } from '../packaging';
import { scrapeArtifacts } from '../scrape';

export { toJsonFile, type Artifacts } from '../output';

/** The dashboard with the exact bytes of its JSON file: the one place a dashboard becomes text. */
const serialised = (dashboard: DashboardJson): DashboardFile => ({
  uid: dashboard.uid, title: dashboard.title, json: toJsonFile(dashboard),
});

/** Each dashboard with the exact bytes of its JSON file. */
export function dashboardFiles(config: Config): DashboardFile[] {
  return buildDashboards(config).map(serialised);
}

const filesOf = (dashboards: DashboardFile[]): Artifacts =>
  new Map(dashboards.map((dashboard) => [dashboardFile(dashboard), dashboard.json]));

export function dashboardArtifacts(config: Config): Artifacts {
  return filesOf(dashboardFiles(config));
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
  // Each dashboard becomes text once, for its file and its Kubernetes packaging alike.
  const dashboards = [...built.dashboards.map(serialised), ...alerts.dashboards];
  const manifests = [...scrape.manifests, ...alerts.manifests];
  return mergeArtifacts(
    filesOf(dashboards),
    scrape.files,
    alerts.files,
    packageArtifacts(config, { dashboards, manifests }),
    packageV2Artifacts(config, built.v2),
  );
}
