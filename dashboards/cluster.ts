/** Flux Cluster Stats: every Flux object's readiness, suspension, revision and reconcile duration. */
import type { Config } from '../config';
import { dashboardIdentities, variableNames } from '../model';
import { dashboardScope, objects as q, variables, type Scope } from '../queries';
import { objectPanels as p } from '../panels';
import { queryVariable, type DashboardSpec } from './defaults';
import { cell } from './layout';

/** The namespaces holding Flux objects, several at once or All. */
export const objectNamespaceVariable = (scope: Scope, label = 'Object namespace') =>
  queryVariable({
    name: variableNames.objectNamespace,
    label,
    query: variables.objectNamespaceValues(scope),
    multiWithAll: true,
  });

export function clusterDashboard(config: Config): DashboardSpec {
  const scope = dashboardScope(config);
  return {
    identity: dashboardIdentities.cluster,
    description: 'Readiness, suspension, revisions and reconcile duration of every Flux object, by kind and namespace.',
    variables: [
      objectNamespaceVariable(scope),
      queryVariable({
        name: variableNames.kind,
        label: 'Kind',
        query: variables.kindValues(scope),
        multiWithAll: true,
      }),
    ],
    rows: [
      {
        cells: [
          cell(p.objectsTotal(q.objectCount(scope, 'any')), 4, 4),
          cell(p.objectsReady(q.objectCount(scope, 'ready')), 4, 4),
          cell(p.objectsNotReady(q.objectCount(scope, 'notReady')), 4, 4),
          cell(p.objectsUnknown(q.objectCount(scope, 'unknown')), 4, 4),
          cell(p.objectsSuspended(q.objectCount(scope, 'suspended')), 4, 4),
          cell(p.objectsStalled(q.objectCount(scope, 'stalled')), 4, 4),
          cell(p.appliersTotal(q.objectCount(scope, 'any', { role: 'applier' })), 6, 4),
          cell(p.appliersFailing(q.objectCount(scope, 'notReady', { role: 'applier' })), 6, 4),
          cell(p.sourcesTotal(q.objectCount(scope, 'any', { role: 'source' })), 6, 4),
          cell(p.sourcesFailing(q.objectCount(scope, 'notReady', { role: 'source' })), 6, 4),
          cell(
            p.objectsByKind({
              total: q.objectCount(scope, 'any', { by: 'kind' }),
              ready: q.objectCount(scope, 'ready', { by: 'kind' }),
              notReady: q.objectCount(scope, 'notReady', { by: 'kind' }),
              unknown: q.objectCount(scope, 'unknown', { by: 'kind' }),
              suspended: q.objectCount(scope, 'suspended', { by: 'kind' }),
            }),
            24,
            8,
          ),
        ],
      },
      {
        title: 'Status',
        cells: [
          cell(p.failingTable(q.failingObjects(scope)), 12, 8),
          cell(p.stalledTable(q.stalledObjects(scope)), 12, 8),
          cell(p.readinessTable(q.objectReadiness(scope)), 24, 12),
          cell(p.suspendedTable(q.suspendedObjects(scope)), 24, 6),
        ],
      },
      {
        title: 'Revisions',
        collapsed: true,
        cells: [
          cell(p.sourceRevisionsTable(q.sourceRevisions(scope)), 24, 10),
          cell(p.helmChartsTable(q.helmReleaseCharts(scope), q.objectLabels(scope).kind), 24, 10),
        ],
      },
      {
        title: 'Timing',
        collapsed: true,
        cells: [
          cell(
            p.reconcileDurationByKind(
              q.reconcileDurationAverage(scope, 'kind'),
              q.reconcileDurationQuantile(scope, 0.95, 'kind'),
            ),
            12,
            9,
          ),
          cell(p.reconcilesPerMinuteByKind(q.reconcilesPerMinuteByKind(scope)), 12, 9),
          cell(p.slowestObjects(q.slowestObjects(scope, 10)), 24, 9),
        ],
      },
    ],
  };
}
