/** Flux Cluster Stats: every Flux object's readiness, suspension, revision and reconcile duration. */
import type { Config } from '../config';
import { controllerObjectLabels, dashboardIdentities, variableNames } from '../model';
import {
  dashboardScope, largest, objects as q, operator, panelShare, variables, type Query, type Scope,
} from '../queries';
import { objectDashboardLink, objectPanels as p, operatorPanels } from '../panels';
import { queryVariable, type DashboardSpec } from './defaults';
import { listedIn, withCountLinks } from './count-links';
import { cell, panelIdsOf, type Row } from './layout';

/**
 * What only the Flux Operator knows: its FluxInstance, itself, ResourceSets and their input providers. The v2
 * dashboard shows it wherever the operator's metrics are there; the classic one carries it in the operator flavour.
 */
function operatorRow(scope: Scope, operatorFlavor: boolean): Row {
  return {
    title: 'Flux Operator',
    onlyWithData: { inClassic: operatorFlavor },
    cells: [
      cell(operatorPanels.fluxInstances(operator.fluxInstances(scope)), 16, 5),
      cell(operatorPanels.operatorVersions(operator.operatorVersions(scope)), 8, 5),
      cell(operatorPanels.resourceSets(operator.resourceSets(scope)), 24, 7),
      cell(operatorPanels.resourceSetInputProviders(operator.resourceSetInputProviders(scope)), 24, 6),
    ],
  };
}

const operatorNote =
  ' Readiness comes from the Flux Operator (`flux_resource_info`, refreshed with its report): it has no Stalled ' +
  'condition, so stalled objects count as not ready and this dashboard shows no Stalled panels.';

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
  const operatorFlavor = config.flavor === 'flux-operator';
  // Reconciliations per minute by kind show what the reconcile duration panel fetched: they need its id.
  const durationPanelId = panelIdsOf(clusterRows(config, 0)).get('reconcileDurationByKind')!;
  return withCountLinks({
    identity: dashboardIdentities.cluster,
    description:
      'Readiness, suspension, revisions and reconcile duration of every Flux object, by kind and namespace.' +
      (operatorFlavor ? operatorNote : ''),
    variables: [
      objectNamespaceVariable(scope),
      queryVariable({
        name: variableNames.kind,
        label: 'Kind',
        query: variables.kindValues(scope),
        multiWithAll: true,
      }),
    ],
    rows: clusterRows(config, durationPanelId),
  });
}

function clusterRows(config: Config, durationPanelId: number): Row[] {
  const scope = dashboardScope(config);
  const operatorFlavor = config.flavor === 'flux-operator';
  const tellsStalled = q.canTell(scope, 'stalled');
  // Five stats share the line the Stalled stat would take when the metric cannot tell stalled objects.
  const statWidths = tellsStalled ? [4, 4, 4, 4, 4] : [5, 5, 5, 5, 4];
  // Each row naming an object opens the object dashboard on it.
  const toObject = [objectDashboardLink(q.objectLabels(scope), scope.clusterLabel)];
  const helmReleaseToObject = [objectDashboardLink(q.objectLabels(scope), scope.clusterLabel, 'HelmRelease')];
  const durationLabels = controllerObjectLabels(scope.objectNamespaceLabel);
  const durationToObject = [objectDashboardLink(durationLabels, scope.clusterLabel)];
  // A line per cluster and kind, bounded: 100 clusters would draw over a thousand. The three sets fetched once, and
  // the average divided from two of them, stay under the panel bound.
  const several = (query: Query) => largest(query, panelShare(3));
  const durationByKind = {
    secondsPerMinute: several(q.reconcileSecondsPerMinuteByKind(scope)),
    reconcilesPerMinute: several(q.reconcilesPerMinuteByKind(scope)),
    p95OfObjects: several(q.objectsDurationQuantileByKind(scope, 0.95)),
  };
  return [
    {
      cells: [
        listedIn(cell(p.objectsTotal(q.objectCount(scope, 'any')), statWidths[0]!, 4), 'objectReadiness'),
        listedIn(cell(p.objectsReady(q.objectCount(scope, 'ready')), statWidths[1]!, 4), 'objectReadiness'),
        listedIn(cell(p.objectsNotReady(q.objectCount(scope, 'notReady')), statWidths[2]!, 4), 'failingObjects'),
        listedIn(cell(p.objectsUnknown(q.objectCount(scope, 'unknown')), statWidths[3]!, 4), 'objectReadiness'),
        listedIn(cell(p.objectsSuspended(q.objectCount(scope, 'suspended')), statWidths[4]!, 4), 'suspendedObjects'),
        ...(tellsStalled
          ? [listedIn(cell(p.objectsStalled(q.objectCount(scope, 'stalled')), 4, 4), 'stalledObjects')]
          : []),
        listedIn(cell(p.appliersTotal(q.objectCount(scope, 'any', { role: 'applier' })), 6, 4), 'objectReadiness'),
        listedIn(
          cell(p.appliersFailing(q.objectCount(scope, 'notReady', { role: 'applier' })), 6, 4), 'failingObjects',
        ),
        listedIn(cell(p.sourcesTotal(q.objectCount(scope, 'any', { role: 'source' })), 6, 4), 'sourceRevisions'),
        listedIn(
          cell(p.sourcesFailing(q.objectCount(scope, 'notReady', { role: 'source' })), 6, 4), 'failingObjects',
        ),
        cell(p.objectsByKind(q.objectCountsByKind(scope)), 24, 8),
      ],
    },
    {
      title: 'Status',
      cells: [
        cell(
          p.failingTable(q.failingObjects(scope), !tellsStalled, toObject),
          tellsStalled ? 12 : 24,
          8,
          'failingObjects',
        ),
        ...(tellsStalled ? [cell(p.stalledTable(q.stalledObjects(scope), toObject), 12, 8, 'stalledObjects')] : []),
        cell(p.readinessTable(q.objectReadiness(scope), toObject), 24, 12, 'objectReadiness'),
        cell(p.suspendedTable(q.suspendedObjects(scope), toObject), 24, 6, 'suspendedObjects'),
      ],
    },
    operatorRow(scope, operatorFlavor),
    {
      title: 'Revisions',
      collapsed: true,
      cells: [
        cell(p.sourceRevisionsTable(q.sourceRevisions(scope), toObject), 24, 10, 'sourceRevisions'),
        cell(p.helmChartsTable(q.helmReleaseCharts(scope), q.objectLabels(scope).kind, helmReleaseToObject), 24, 10),
      ],
    },
    {
      title: 'Timing',
      collapsed: true,
      cells: [
        cell(p.reconcileDurationByKind(durationByKind), 12, 9, 'reconcileDurationByKind'),
        cell(p.reconcilesPerMinuteByKind(durationByKind, durationPanelId), 12, 9),
        cell(p.slowestObjects(q.slowestObjects(scope, 10), durationToObject), 24, 9, 'slowestObjects'),
      ],
    },
  ];
}
