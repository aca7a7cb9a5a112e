/** Changing one of ours: Flux Control Plane for a single Prometheus and another Flux namespace, with one more row. */
import { resolveConfig } from 'flux-dashboards/config';
import { cell, controlPlaneDashboard, finishDashboard } from 'flux-dashboards/dashboards';
import { timeseriesPanel } from 'flux-dashboards/panels';
import { controllers, dashboardScope } from 'flux-dashboards/queries';

export function customisedControlPlane() {
  const config = resolveConfig({ clusterLabel: null, namespace: 'gitops-system' });
  const spec = controlPlaneDashboard(config);
  const memoryOfLimit = timeseriesPanel(
    {
      title: 'Memory used of limit',
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholdLines: [0.9],
      description: 'Working set of each controller as a share of its memory limit: at 100 % it is OOM-killed.',
    },
    [controllers.memoryLimitUsageByPod(dashboardScope(config))],
  );
  // A row of its own below ours; the layout places it, whatever rows come before.
  spec.rows.push({ title: 'Memory limits', cells: [cell(memoryOfLimit, 24)] });
  return finishDashboard(config, spec);
}
