/** Flux Cluster Stats: every Flux object's readiness, suspension, revision and reconcile duration. */
import type { Config } from '../config';
import { dashboardScope, objects as q, variableNames, variables } from '../queries';
import { objectPanels as p } from '../panels';
import {
  clusterVariables, dashboardIdentities, fluxDashboard, fluxNamespaceVariable, prometheusDatasourceVariable, queryVariable,
} from './defaults';
import { cell, layout } from './layout';

export function clusterDashboard(config: Config) {
  const scope = dashboardScope(config);
  const labels = { cluster: config.clusterLabel, ...q.objectLabels(scope) };
  const durationLabels = { cluster: config.clusterLabel, namespace: config.objectNamespaceLabel };
  const builder = fluxDashboard({
    identity: dashboardIdentities.cluster,
    description: 'Readiness, suspension, revisions and reconcile duration of every Flux object, by kind and namespace.',
    variables: [
      prometheusDatasourceVariable(config),
      ...clusterVariables(config, (label) => variables.clusterValues(scope, label)),
      fluxNamespaceVariable(config, variables.fluxNamespaceValues(scope)),
      queryVariable({ name: variableNames.objectNamespace, label: 'Object namespace', query: variables.objectNamespaceValues(scope), multiWithAll: true }),
      queryVariable({ name: variableNames.kind, label: 'Kind', query: variables.kindValues(scope), multiWithAll: true }),
    ],
  });
  return layout(builder, [
    {
      cells: [
        cell(p.objectsTotal(q.objectCount(scope, 'any')), 4, 4),
        cell(p.objectsReady(q.objectCount(scope, 'ready')), 4, 4),
        cell(p.objectsNotReady(q.objectCount(scope, 'notReady')), 4, 4),
        cell(p.objectsUnknown(q.objectCount(scope, 'unknown')), 4, 4),
        cell(p.objectsSuspended(q.objectCount(scope, 'suspended')), 4, 4),
        cell(p.objectsStalled(q.objectCount(scope, 'stalled')), 4, 4),
        cell(p.appliersTotal(q.objectCountOfRole(scope, 'applier', 'any')), 6, 4),
        cell(p.appliersFailing(q.objectCountOfRole(scope, 'applier', 'notReady')), 6, 4),
        cell(p.sourcesTotal(q.objectCountOfRole(scope, 'source', 'any')), 6, 4),
        cell(p.sourcesFailing(q.objectCountOfRole(scope, 'source', 'notReady')), 6, 4),
        cell(
          p.objectsByKind(labels.kind, config.clusterLabel, {
            total: q.objectCountByKind(scope, 'any'),
            ready: q.objectCountByKind(scope, 'ready'),
            notReady: q.objectCountByKind(scope, 'notReady'),
            unknown: q.objectCountByKind(scope, 'unknown'),
            suspended: q.objectCountByKind(scope, 'suspended'),
          }),
          24,
          8,
        ),
      ],
    },
    {
      title: 'Status',
      cells: [
        cell(p.failingTable(labels, q.failingObjects(scope)), 12, 8),
        cell(p.stalledTable(labels, q.stalledObjects(scope)), 12, 8),
        cell(p.readinessTable(labels, q.objectReadiness(scope)), 24, 12),
        cell(p.suspendedTable(labels, q.suspendedObjects(scope)), 24, 6),
      ],
    },
    {
      title: 'Revisions',
      collapsed: true,
      cells: [
        cell(p.sourceRevisionsTable(labels, q.sourceRevisions(scope)), 24, 10),
        cell(p.helmChartsTable(labels, q.helmReleaseCharts(scope)), 24, 10),
      ],
    },
    {
      title: 'Timing',
      collapsed: true,
      cells: [
        cell(p.reconcileDurationByKind(q.reconcileDurationAverageByKind(scope), q.reconcileDurationQuantileByKind(scope, 0.95)), 12, 9),
        cell(p.reconcilesPerMinuteByKind(q.reconcilesPerMinuteByKind(scope)), 12, 9),
        cell(p.slowestObjects(durationLabels, q.slowestObjects(scope, 10)), 24, 9),
      ],
    },
  ]);
}
