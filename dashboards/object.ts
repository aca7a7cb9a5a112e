/** Flux Object: one object's state now and over time, its reconciliations and its controller's lines about it. */
import type { Config } from '../config';
import { dashboardIdentities, variableNames, variableRef } from '../model';
import { events, logs, objectScope, objects, single, variables, type Scope } from '../queries';
import { objectLogsLink, operatorPanels, singleObjectPanels as p } from '../panels';
import { queryVariable, type DashboardSpec } from './defaults';
import { cell, type Row } from './layout';

/** Kind, namespace and name, each listing what the one before it leaves: one object at a time. */
function objectVariables(scope: Scope) {
  return [
    // Opened without a link, it starts on a Kustomization: the kind an alert most often names.
    queryVariable({
      name: variableNames.kind, label: 'Kind', query: variables.kindValues(scope), defaultValue: 'Kustomization',
    }),
    queryVariable({
      name: variableNames.objectNamespace,
      label: 'Object namespace',
      query: variables.objectNamespaceValuesOfKind(scope),
    }),
    queryVariable({ name: variableNames.objectName, label: 'Name', query: variables.objectNameValues(scope) }),
  ];
}

/** `kind: X`, `name: Y`, `namespace: Z`: the tags notification-controller gives an object's annotations. */
const objectEventTags = [
  `kind: ${variableRef(variableNames.kind)}`,
  `name: ${variableRef(variableNames.objectName)}`,
  `namespace: ${variableRef(variableNames.objectNamespace)}`,
];

function historyRow(scope: Scope): Row {
  const reasons = single.readinessReasons(scope);
  const revisions = single.revisionTimeline(scope);
  const states = single.readinessStates.filter(({ state }) => objects.canTell(scope, state));
  return {
    title: 'History',
    cells: [
      cell(p.readinessTimeline(single.readinessTimeline(scope), states), 24, 5),
      ...(reasons ? [cell(p.readyReasons(reasons), 24, 6)] : []),
      ...(revisions ? [cell(p.revisions(revisions), 24, 6)] : []),
    ],
  };
}

/** With the Flux Operator: the ResourceSets of the object's cluster, its owner among them if it has one. */
function resourceSetCells(scope: Scope) {
  const query = single.clusterResourceSets(scope);
  return query ? [cell(operatorPanels.clusterResourceSets(query), 24, 5)] : [];
}

/** The object's Kubernetes events from Loki, where the configuration names the pipeline that ships them. */
function eventsRow(config: Config, scope: Scope): Row[] {
  const { pipeline, lineFormat, streamLabels } = config.events;
  if (pipeline === 'none') return [];
  const query = events.objectEvents(scope, { pipeline, lineFormat, ...(streamLabels ? { streamLabels } : {}) });
  return [{ title: 'Events', cells: [cell(p.objectEvents(query, pipeline), 24, 10)] }];
}

/** Said in the description where the installation names no event pipeline: why there is no Events row. */
const noEventsNote =
  ' Kubernetes events are not shown: the configuration names no pipeline that ships them to Loki (events.pipeline).';

export function objectDashboard(config: Config): DashboardSpec {
  const scope = objectScope(config);
  return {
    identity: dashboardIdentities.object,
    description:
      'One Flux object: its readiness, reason, revision and source now and over the range, its reconciliations, ' +
      "its controller's context, the controller's log lines and the Kubernetes events about it." +
      (config.events.pipeline === 'none' ? noEventsNote : ''),
    readsLoki: true,
    singleCluster: true,
    fluxEventTags: objectEventTags,
    variables: objectVariables(scope),
    rows: [
      { cells: [cell(p.objectNow(single.objectNow(scope)), 24, 5), ...resourceSetCells(scope)] },
      historyRow(scope),
      {
        // Histograms and the controller's context: read only when opened.
        title: 'Reconciliation',
        collapsed: true,
        cells: [
          cell(p.reconcilesPerMinute(single.objectReconcilesPerMinute(scope)), 12, 8),
          cell(
            p.reconcileDuration(
              objects.reconcileDurationAverage(scope, 'object'),
              objects.objectDurationQuantile(scope, 0.99),
            ),
            12,
            8,
          ),
          cell(p.controllerErrorShare(single.controllerErrorShare(scope)), 12, 8),
          cell(p.controllerQueueWait(single.controllerQueueWait(scope)), 12, 8),
        ],
      },
      ...eventsRow(config, scope),
      {
        title: 'Logs',
        cells: [
          cell(p.objectErrorLines(logs.objectErrorLogLines(scope), objectLogsLink(scope.clusterLabel)), 24, 8),
          cell(p.objectLogLines(logs.objectLogLines(scope), objectLogsLink(scope.clusterLabel)), 24, 12),
        ],
      },
    ],
  };
}
