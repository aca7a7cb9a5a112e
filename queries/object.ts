/**
 * PromQL about one Flux object, for the object dashboard: the scope names it (`objectScope`), so every query keeps
 * the object's identity labels and returns that object's series alone.
 */
import * as promql from '@grafana/promql-builder';
import { variableNames, variableRef } from '../model/variables';
import { recordedRates as controllerRates } from './controllers';
import { canTell, durationObject, identity, objectsIn, objectTable, readiness, type ObjectState } from './objects';
import { promQuery, type Query } from './query';
import { quantileOf, rateSum } from './recorded';
import type { Scope } from './scope';
import { clusterBy, rateOf, re, select, selectHistogram } from './selector';

/** What the readiness timeline draws, by the number it is drawn as; the first state the object is in wins. */
export const readinessStates = [
  { state: 'stalled', value: 4, text: 'Stalled', colour: 'dark-red' },
  { state: 'suspended', value: 3, text: 'Suspended', colour: 'blue' },
  { state: 'notReady', value: 2, text: 'Not ready', colour: 'red' },
  { state: 'unknown', value: 1, text: 'Unknown', colour: 'yellow' },
  { state: 'ready', value: 0, text: 'Ready', colour: 'green' },
] as const satisfies ReadonlyArray<{ state: ObjectState; value: number; text: string; colour: string }>;

/** The object's columns now: readiness, reason, suspension, revision, and what it fetches from or installs. */
export function objectNow(scope: Scope): Query {
  const { reason, sourceColumns, helmReleaseColumns } = readiness(scope);
  const columns = new Set(['ready', ...(reason ? [reason] : []), 'suspended', 'revision', 'source_name']);
  for (const column of [...sourceColumns, ...helmReleaseColumns]) columns.add(column);
  return objectTable(scope, 'any', [...columns]);
}

/** The object's readiness over time as one number per step (`readinessStates`), by its identity. */
export function readinessTimeline(scope: Scope): Query {
  const id = identity(scope);
  const states = readinessStates.filter(({ state }) => canTell(scope, state));
  const lanes = states.map(({ state, value }) =>
    promql.mul(promql.max(objectsIn(scope, state)).by(id), promql.n(value)),
  );
  // `a or b`: b only where a has no series, so the first state the object is in is the one drawn.
  const expr = lanes.slice(1).reduce<promql.BinaryExprBuilder>((all, lane) => promql.or(all, lane), lanes[0]!);
  return { ...promQuery(scope, expr, id), legend: 'Readiness' };
}

/** One lane per Ready reason, lit while the object's Ready condition gives it; none where the metric has none. */
export function readinessReasons(scope: Scope): Query | null {
  const { reason } = readiness(scope);
  if (!reason) return null;
  const by = [...identity(scope), reason];
  return promQuery(scope, promql.max(objectsIn(scope, 'any')).by(by), by, { legendLabels: [reason] });
}

/** One lane per revision, lit while the object was at it: a source's artifact revision, a HelmRelease's chart. */
export function revisionTimeline(scope: Scope): Query | null {
  if (scope.flavor === 'legacy') return null;
  const by = [...identity(scope), 'revision'];
  return promQuery(scope, promql.max(objectsIn(scope, 'any')).by(by), by, { legendLabels: ['revision'] });
}

/** The object's reconciliations per minute, from the controller's duration histogram's count. */
export function objectReconcilesPerMinute(scope: Scope): Query {
  const labels = durationObject(scope);
  const durationMatchers = objectDurationMatchers(scope);
  const count = rateOf(selectHistogram(scope, 'gotk_reconcile_duration_seconds', 'count', durationMatchers), scope);
  const expr = promql.mul(promql.sum(count).by(labels), promql.n(60));
  return promQuery(scope, expr, labels, { legendLabels: [], suffix: 'reconciles' });
}

function objectDurationMatchers(scope: Scope) {
  return {
    [scope.objectNamespaceLabel]: re(scope.objectNamespace),
    kind: re(scope.kind),
    ...(scope.objectName === undefined ? {} : { name: re(scope.objectName) }),
  };
}

/** The object's kind's controller-runtime controller: the kind in lower case, matched without regard to case. */
const kindController = () => re(`(?i)${variableRef(variableNames.kind)}`);

/** The share of its controller's reconciliations that returned an error: context for the object's own. */
export function controllerErrorShare(scope: Scope): Query {
  const by = [...clusterBy(scope), 'controller'];
  const narrower = { controller: kindController() };
  const expr = promql.div(
    rateSum(scope, controllerRates.reconcileErrors, by, narrower),
    rateSum(scope, controllerRates.reconciles, by, narrower),
  );
  return promQuery(scope, expr, by, { legendLabels: ['controller'], suffix: ' errors' });
}

/** How long its controller's queue keeps an object waiting for a worker (p99): context for a slow reconcile. */
export function controllerQueueWait(scope: Scope): Query {
  const by = [...clusterBy(scope), 'name'];
  const expr = quantileOf(scope, controllerRates.queueWait, by, { name: kindController() });
  return promQuery(scope, expr, by, { legendLabels: ['name'], suffix: ' queue wait p99' });
}

/**
 * The Flux Operator's ResourceSets in the object's cluster, one of which may own it: the operator's metrics do not say
 * which (the owner is in the object's labels `resourceset.fluxcd.controlplane.io/name` and `/namespace`), and a
 * ResourceSet may create objects in any namespace.
 */
export function clusterResourceSets(scope: Scope): Query | null {
  if (scope.flavor !== 'flux-operator') return null;
  const labels = [
    ...clusterBy(scope), 'exported_namespace', 'name', 'ready', 'reason', 'suspended', 'resources', 'revision',
  ];
  const matchers = { namespace: re(scope.fluxNamespace) };
  return promQuery(scope, promql.max(select(scope, 'flux_resourceset_info', matchers)).by(labels), labels);
}
