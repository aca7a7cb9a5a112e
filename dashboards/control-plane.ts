/** Flux Control Plane: the controllers' health, reconcile loop, work queues, API traffic and resources. */
import type { Config } from '../config';
import { dashboardIdentities } from '../model';
import { controllers as q, dashboardScope, largest, panelShare, type Query } from '../queries';
import { controllerLogsLink, controllerPanels as p } from '../panels';
import type { DashboardSpec } from './defaults';
import { listedIn, withCountLinks } from './count-links';
import { cell, panelIdsOf, type Row } from './layout';

export function controlPlaneDashboard(config: Config): DashboardSpec {
  // The reconcile panels show what the error ratio panel fetched: they need its id, which the layout gives.
  const ratioPanelId = panelIdsOf(controlPlaneRows(config, 0)).get('reconcileErrorRatio')!;
  return withCountLinks({
    identity: dashboardIdentities.controlPlane,
    description: 'Health, throughput, errors, latency, work queues, API traffic and resources of the Flux controllers.',
    variables: [],
    rows: controlPlaneRows(config, ratioPanelId),
  });
}

function controlPlaneRows(config: Config, ratioPanelId: number): Row[] {
  const scope = dashboardScope(config);
  // A Flux controller's row opens its logs; the Flux Operator's has no logs there, and its link finds none.
  const logsLink = controllerLogsLink('deployment', scope.clusterLabel);
  const controllersTable = p.controllersTable(q.controllerScrapeUp(scope), q.controllerVersions(scope), [logsLink]);
  // A line per cluster and controller (or pod, queue, resource) is bounded: 100 clusters would draw thousands.
  const one = (query: Query) => largest(query, panelShare(1));
  // Each reconcile series is fetched once, by the error ratio panel; the panels beside it show what it fetched, and
  // the ratio is a fourth set of series.
  const several = (query: Query) => largest(query, panelShare(3));
  const reconcile = {
    reconciles: several(q.reconcilesPerMinute(scope, ['controller'])),
    errors: several(q.reconcileErrorsPerMinute(scope, ['controller'])),
    panics: several(q.reconcilePanicsPerMinute(scope, ['controller'])),
  };
  return [
    {
      cells: [
        listedIn(cell(p.controllersUp(q.controllersUpCount(scope)), 3, 4), 'controllersAndVersions'),
        listedIn(cell(p.controllersDown(q.controllersDownCount(scope)), 3, 4), 'controllersAndVersions'),
        cell(p.reconcilesPerMinuteStat(q.reconcilesPerMinute(scope)), 3, 4),
        cell(p.errorRatioStat(q.reconcileErrorShare(scope)), 3, 4),
        cell(p.longestRunningStat(q.longestRunningProcessor(scope)), 3, 4),
        cell(p.apiRequestsStat(q.apiRequestsPerSecond(scope)), 3, 4),
        cell(p.memoryStat(q.memoryWorkingSet(scope)), 3, 4),
        cell(p.restartsStat(q.restarts(scope, 'range')), 3, 4),
        cell(controllersTable, 24, 7, 'controllersAndVersions'),
      ],
    },
    {
      title: 'Reconciliation',
      cells: [
        cell(p.reconcilesPerMinute(reconcile, ratioPanelId), 8),
        cell(p.reconcileErrorRatio(reconcile), 8, 8, 'reconcileErrorRatio'),
        cell(p.reconcileErrorsPerMinute(reconcile, ratioPanelId), 8),
      ],
    },
    // Histogram quantiles over every controller's buckets are the dearest queries: drawn only when opened.
    {
      title: 'Latency and work queues',
      collapsed: true,
      cells: [
        cell(p.reconcileTimeP99(one(q.reconcileTimeQuantile(scope, ['controller']))), 8),
        cell(p.workqueueWait(one(q.workqueueWaitQuantile(scope, ['queue']))), 8),
        cell(p.longestRunningProcessor(one(q.longestRunningProcessor(scope, ['queue']))), 8),
        cell(p.workqueueDepth(one(q.workqueueDepth(scope, ['queue']))), 8),
        cell(p.workqueueAdds(one(q.workqueueAddsPerSecond(scope, ['queue']))), 8),
        cell(p.workerUtilisation(one(q.workerUtilisation(scope, ['controller']))), 8, 8, 'workersBusy'),
      ],
    },
    {
      title: 'Kubernetes API',
      collapsed: true,
      cells: [
        cell(p.apiRequestsByMethodAndCode(q.apiRequestsPerSecond(scope, ['method', 'code'])), 16),
        cell(p.apiErrorShare(q.apiErrorShare(scope)), 8),
      ],
    },
    {
      title: 'Resources',
      collapsed: true,
      cells: [
        cell(p.cpuByPod(q.cpuCores(scope, ['pod'])), 12),
        cell(
          p.memoryByPod(one(q.memoryWorkingSet(scope, ['pod'])), one(q.memoryLimit(scope, ['pod']))),
          12,
          8,
          'memoryByPod',
        ),
        cell(p.restartsByPod(q.restarts(scope, 'rateInterval')), 8, 8, 'restartsByPod'),
        cell(p.goroutines(q.goroutines(scope, ['pod'])), 8),
        cell(p.leaders(q.leaderPods(scope)), 8),
      ],
    },
    {
      title: 'Network',
      collapsed: true,
      cells: [
        cell(p.networkByPod('receive', q.networkBytesPerSecond(scope, 'receive')), 12),
        cell(p.networkByPod('transmit', q.networkBytesPerSecond(scope, 'transmit')), 12),
      ],
    },
    // Read only where the user scrapes the API server (kube-prometheus-stack does by default).
    {
      title: 'Kubernetes API server: Flux resources',
      collapsed: true,
      cells: [
        cell(p.apiServerFluxRequests(one(q.apiServerFluxRequests(scope))), 16),
        cell(p.apiServerFluxObjects(one(q.apiServerFluxObjects(scope))), 8),
      ],
    },
  ];
}
