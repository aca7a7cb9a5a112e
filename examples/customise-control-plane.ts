/** Changing one of ours: Flux Control Plane for a single Prometheus and another Flux namespace, with one more panel. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { resolveConfig } from 'flux-dashboards/config';
import { controlPlaneDashboard, toDashboardJson } from 'flux-dashboards/dashboards';
import { timeseriesPanel } from 'flux-dashboards/panels';
import { controllers, dashboardScope } from 'flux-dashboards/queries';

export function customisedControlPlane() {
  const config = resolveConfig({ clusterLabel: null, namespace: 'gitops-system' });
  const builder = controlPlaneDashboard(config);
  // Ours fill every row of the 24-column grid: a new row goes below the last one (a panel right after a collapsed
  // row would be folded into it the next time that row is opened and closed).
  const bottom = Math.max(...(builder.build().panels ?? []).map((panel) => (panel.gridPos?.y ?? 0) + (panel.gridPos?.h ?? 0)));
  const memoryOfLimit = timeseriesPanel(
    { title: 'Memory used of limit', unit: 'percentunit', min: 0, max: 1, thresholdLines: [0.9], description: 'Working set of each controller as a share of its memory limit: at 100 % it is OOM-killed.' },
    [controllers.memoryLimitUsageByPod(dashboardScope(config))],
  );
  builder.withRow(new dashboard.RowBuilder('Memory limits').collapsed(false).gridPos({ x: 0, y: bottom, w: 24, h: 1 }));
  builder.withPanel(memoryOfLimit.gridPos({ x: 0, y: bottom + 1, w: 24, h: 8 }));
  return toDashboardJson(builder);
}
