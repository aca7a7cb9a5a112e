/** Flux Control Plane: the controllers' health, reconcile loop, work queues, API traffic and resources. */
import type { Config } from '../config';
import { controllers as q, dashboardScope, variables } from '../queries';
import { controllerPanels as p } from '../panels';
import { clusterVariables, dashboardIdentities, fluxDashboard, fluxNamespaceVariable, prometheusDatasourceVariable } from './defaults';
import { cell, layout } from './layout';

export function controlPlaneDashboard(config: Config) {
  const scope = dashboardScope(config);
  const builder = fluxDashboard({
    identity: dashboardIdentities.controlPlane,
    description: 'Health, throughput, errors, latency, work queues, API traffic and resources of the Flux controllers.',
    variables: [
      prometheusDatasourceVariable(config),
      ...clusterVariables(config, (label) => variables.clusterValues(scope, label)),
      fluxNamespaceVariable(config, variables.fluxNamespaceValues(scope)),
    ],
  });
  return layout(builder, [
    {
      cells: [
        cell(p.controllersUp(q.controllersUpCount(scope)), 3, 4),
        cell(p.controllersDown(q.controllersDownCount(scope)), 3, 4),
        cell(p.reconcilesPerMinuteStat(q.reconcilesPerMinute(scope)), 3, 4),
        cell(p.errorRatioStat(q.reconcileErrorRatio(scope)), 3, 4),
        cell(p.longestRunningStat(q.longestRunningProcessor(scope)), 3, 4),
        cell(p.apiRequestsStat(q.apiRequestsPerSecond(scope)), 3, 4),
        cell(p.memoryStat(q.memoryWorkingSet(scope)), 3, 4),
        cell(p.restartsStat(q.restartsInRange(scope)), 3, 4),
        cell(p.controllersTable(q.controllerScrapeUp(scope), q.controllerVersions(scope), config.clusterLabel), 24, 7),
      ],
    },
    {
      title: 'Reconciliation',
      cells: [
        cell(p.reconcilesPerSecondByResult(q.reconcilesPerSecondByResult(scope)), 12),
        cell(p.reconcilesPerMinuteByController(q.reconcilesPerMinuteByController(scope)), 12),
        cell(p.reconcileErrorRatio(q.reconcileErrorRatioByController(scope)), 12),
        cell(p.reconcileErrorsPerMinute(q.reconcileErrorsPerMinuteByController(scope), q.reconcilePanicsPerMinuteByController(scope)), 12),
      ],
    },
    // Histogram quantiles over every controller's buckets are the dearest queries: drawn only when opened.
    {
      title: 'Latency and work queues',
      collapsed: true,
      cells: [
        cell(p.reconcileTimeQuantiles([0.5, 0.9, 0.99].map((quantile) => q.reconcileTimeQuantileByController(scope, quantile))), 8),
        cell(p.workqueueWait(q.workqueueWaitQuantileByQueue(scope, 0.99)), 8),
        cell(p.longestRunningProcessor(q.longestRunningProcessorByQueue(scope)), 8),
        cell(p.workqueueDepth(q.workqueueDepthByQueue(scope)), 8),
        cell(p.workqueueAdds(q.workqueueAddsPerSecondByQueue(scope)), 8),
        cell(p.workerUtilisation(q.workerUtilisationByController(scope)), 8),
      ],
    },
    {
      title: 'Kubernetes API',
      collapsed: true,
      cells: [
        cell(p.apiRequestsByMethodAndCode(q.apiRequestsPerSecondByMethodAndCode(scope)), 16),
        cell(p.apiErrorShare(q.apiErrorShare(scope)), 8),
      ],
    },
    {
      title: 'Resources',
      collapsed: true,
      cells: [
        cell(p.cpuByPod(q.cpuCoresByPod(scope)), 12),
        cell(p.memoryByPod(q.memoryWorkingSetByPod(scope), q.memoryLimitByPod(scope)), 12),
        cell(p.restartsByPod(q.restartsByPod(scope)), 8),
        cell(p.goroutines(q.goroutinesByPod(scope)), 8),
        cell(p.leaders(q.leaderPods(scope)), 8),
      ],
    },
  ]);
}
