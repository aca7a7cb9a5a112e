/**
 * The Flux dashboards: each a `DashboardSpec` (data), made Grafana's classic JSON model by `finishDashboard` and its
 * v2 model (`dashboard.grafana.app/v2`) by `dashboardV2`, so that neither is a copy of the other.
 */
import type { Config } from '../config';
import { linkedPanels, type PanelIds, type PanelKey } from '../model';
import { clusterDashboard, objectNamespaceVariable } from './cluster';
import { controlPlaneDashboard } from './control-plane';
import { finishDashboard, type DashboardSpec } from './defaults';
import type { DashboardJson } from './json';
import { logsDashboard } from './logs';
import { objectDashboard } from './object';

export { clusterDashboard, controlPlaneDashboard, logsDashboard, objectDashboard, objectNamespaceVariable };
export {
  allSelected, dashboardParts, datasourceVariable, finishDashboard, queryVariable,
  type DashboardParts, type DashboardSpec,
} from './defaults';
export { toDashboardJson, type DashboardJson, type PanelJson } from './json';
import { panelIdsOf } from './layout';
export { cell, cellIdsOf, classicRows, panelIdsOf, type Cell, type Row } from './layout';
import { dashboardV2Resource, type DashboardV2Resource } from './v2';
export {
  dashboardFolderUid, dashboardV2, dashboardV2Resource, elementName, v2Annotation, v2Link, v2Panel, v2Variable,
  type DashboardV2Resource,
} from './v2';

/** The shipped dashboards as data, to change before finishing them. */
export const dashboardSpecs = (config: Config) => [
  controlPlaneDashboard(config),
  clusterDashboard(config),
  logsDashboard(config),
  objectDashboard(config),
];

export function buildDashboards(config: Config): DashboardJson[] {
  return buildDashboardSet(config).dashboards;
}

/** The id of every keyed panel of the dashboards, each key in the dashboard model/panels.ts says holds it. */
function keyedPanelIds(specs: DashboardSpec[]): PanelIds {
  const panelIds = new Map<PanelKey, number>();
  for (const spec of specs) {
    for (const [key, id] of panelIdsOf(spec.rows)) {
      if (linkedPanels[key].uid !== spec.identity.uid)
        throw new Error(`panel key ${key} belongs to ${linkedPanels[key].uid}, not to ${spec.identity.uid}`);
      panelIds.set(key, id);
    }
  }
  return panelIds;
}

/** The finished dashboards in both models, and the id of every keyed panel in them (for the alerts' panel links). */
export function buildDashboardSet(config: Config): {
  dashboards: DashboardJson[];
  v2: DashboardV2Resource[];
  panelIds: PanelIds;
} {
  const specs = dashboardSpecs(config);
  return {
    dashboards: specs.map((spec) => finishDashboard(config, spec)),
    v2: specs.map((spec) => dashboardV2Resource(config, spec)),
    panelIds: keyedPanelIds(specs),
  };
}

/** The dashboards the configuration builds as v2 resources (`dashboard.grafana.app/v2`), from the same specs. */
export function dashboardV2Resources(config: Config): DashboardV2Resource[] {
  return dashboardSpecs(config).map((spec) => dashboardV2Resource(config, spec));
}

/** The id of every keyed panel of the dashboards the configuration builds, without finishing them. */
export const dashboardPanelIds = (config: Config): PanelIds => keyedPanelIds(dashboardSpecs(config));

/** The title of every keyed panel of the dashboards the configuration builds (for the docs' tables). */
export function panelTitles(config: Config): Map<PanelKey, string> {
  const titles = new Map<PanelKey, string>();
  for (const spec of dashboardSpecs(config)) {
    for (const row of spec.rows) {
      for (const { key, panel } of row.cells) if (key) titles.set(key, panel.build().title ?? key);
    }
  }
  return titles;
}
