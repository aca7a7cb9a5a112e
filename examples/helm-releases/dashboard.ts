/**
 * "Flux HelmReleases": a dashboard of your own from the package's panels and queries, narrowed to one kind and one
 * controller, plus a panel whose query you write yourself with the typed selectors.
 */
import * as promql from '@grafana/promql-builder';
import type { Config } from 'flux-dashboards/config';
import { cell, finishDashboard, objectNamespaceVariable, type DashboardSpec } from 'flux-dashboards/dashboards';
import { objectPanels, timeseriesPanel } from 'flux-dashboards/panels';
import {
  clusterBy,
  dashboardScope,
  eq,
  objects,
  promQuery,
  rateOf,
  re,
  selectHistogram,
  type Query,
  type Scope,
} from 'flux-dashboards/queries';

export const helmReleasesIdentity = { uid: 'flux-helm-releases', title: 'Flux HelmReleases' };

/** Your own query: HelmRelease upgrades and checks per minute, per namespace of the release. */
function helmReconcilesPerMinuteByNamespace(scope: Scope): Query {
  const by = [...clusterBy(scope), scope.objectNamespaceLabel];
  const count = selectHistogram(scope, 'gotk_reconcile_duration_seconds', 'count', {
    kind: eq('HelmRelease'),
    [scope.objectNamespaceLabel]: re(scope.objectNamespace),
  });
  return promQuery(scope, promql.mul(promql.sum(rateOf(count, scope)).by(by), promql.n(60)), by);
}

export function helmReleasesDashboard(config: Config): DashboardSpec {
  // Our queries, with the kind fixed instead of read from the `$kind` variable.
  const scope: Scope = { ...dashboardScope(config), kind: 'HelmRelease' };
  return {
    identity: helmReleasesIdentity,
    description: 'Readiness, charts and reconcile time of the HelmReleases.',
    variables: [objectNamespaceVariable(scope, 'Namespace')],
    rows: [
      {
        cells: [
          cell(objectPanels.objectsTotal(objects.objectCount(scope, 'any')), 6, 4),
          cell(objectPanels.objectsReady(objects.objectCount(scope, 'ready')), 6, 4),
          cell(objectPanels.objectsNotReady(objects.objectCount(scope, 'notReady')), 6, 4),
          cell(objectPanels.objectsSuspended(objects.objectCount(scope, 'suspended')), 6, 4),
          cell(objectPanels.failingTable(objects.failingObjects(scope)), 24, 8),
          cell(
            objectPanels.helmChartsTable(objects.helmReleaseCharts(scope), objects.objectLabels(scope).kind),
            24,
            10,
          ),
        ],
      },
      {
        title: 'Reconciliation',
        cells: [
          cell(
            timeseriesPanel(
              {
                title: 'HelmRelease reconciliations per namespace',
                unit: 'opm',
                min: 0,
                description:
                  'Reconciliations per minute of the HelmReleases in each namespace: ' +
                  'upgrades, drift checks and retries.',
              },
              [helmReconcilesPerMinuteByNamespace(scope)],
            ),
            12,
          ),
          cell(
            objectPanels.reconcileDurationByKind({
              secondsPerMinute: objects.reconcileSecondsPerMinuteByKind(scope),
              reconcilesPerMinute: objects.reconcilesPerMinuteByKind(scope),
              p95OfObjects: objects.objectsDurationQuantileByKind(scope, 0.95),
            }),
            12,
          ),
          cell(objectPanels.slowestObjects(objects.slowestObjects(scope, 10)), 24, 9),
        ],
      },
    ],
  };
}

/** The dashboard as Grafana's JSON model, panel ids assigned. */
export const helmReleasesDashboardJson = (config: Config) => finishDashboard(config, helmReleasesDashboard(config));
