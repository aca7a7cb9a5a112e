/** The three Flux dashboards: each a `DashboardSpec` (data), made Grafana's JSON model by `finishDashboard`. */
import type { Config } from '../config';
import { clusterDashboard, objectNamespaceVariable } from './cluster';
import { controlPlaneDashboard } from './control-plane';
import { finishDashboard } from './defaults';
import type { DashboardJson } from './json';
import { logsDashboard } from './logs';

export { clusterDashboard, controlPlaneDashboard, logsDashboard, objectNamespaceVariable };
export { allSelected, datasourceVariable, finishDashboard, queryVariable, type DashboardSpec } from './defaults';
export { toDashboardJson, type DashboardJson, type PanelJson } from './json';
export { cell, type Cell, type Row } from './layout';

/** The shipped dashboards as data, to change before finishing them. */
export const dashboardSpecs = (config: Config) => [
  controlPlaneDashboard(config),
  clusterDashboard(config),
  logsDashboard(config),
];

export function buildDashboards(config: Config): DashboardJson[] {
  return dashboardSpecs(config).map((spec) => finishDashboard(config, spec));
}
