/**
 * PromQL about Flux objects: readiness, suspension, revisions (kube-state-metrics `gotk_resource_info`, the removed
 * `gotk_reconcile_condition` in the legacy flavour, the Flux Operator's `flux_resource_info`) and reconcile duration
 * (`gotk_reconcile_duration_seconds`).
 */
import * as promql from '@grafana/promql-builder';
import {
  controllerObjectLabels,
  kindsOfRole,
  kindsRegex,
  kindsWithoutReadiness,
  objectIdentity,
  readinessLabels,
  type FluxKind,
} from '../model';
import { promQuery, tableRowBound, type Query } from './query';
import { rateSum, type RecordedRate } from './recorded';
import type { Scope } from './scope';
import { clusterBy, eq, labelReplace, re, select, type Matchers } from './selector';

/**
 * What an object is in: Ready=True, Ready=False, Ready=Unknown (in progress, not failing), suspended, stalled;
 * `withReady`: any Ready status (kube-state-metrics gives Alert and Provider none).
 */
export type ObjectState = 'any' | 'withReady' | 'ready' | 'notReady' | 'unknown' | 'suspended' | 'stalled';

/** What the flavour's readiness metric tells, and with which labels. */
export const readiness = (scope: Scope) => readinessLabels(scope.flavor, scope.objectNamespaceLabel);

/** The labels that name an object, and its kind, in the flavour's readiness metric. */
export const objectLabels = (scope: Scope) => readiness(scope).object;

/** The states the flavour's readiness metric can tell: the operator's has no Stalled condition. */
export const canTell = (scope: Scope, state: ObjectState) => state !== 'stalled' || readiness(scope).tellsStalled;

/** The labels that tell the objects of the readiness metric apart. */
export const identity = (scope: Scope) => objectIdentity(objectLabels(scope), scope.clusterLabel);

const resourceStateMatchers: Record<ObjectState, Matchers<'gotk_resource_info'>> = {
  any: {},
  withReady: { ready: re('True|False|Unknown') },
  ready: { ready: eq('True') },
  notReady: { ready: eq('False') },
  unknown: { ready: eq('Unknown') },
  suspended: { suspended: eq('true') },
  stalled: { stalled: eq('True') },
};

/** The Flux Operator writes `suspended` capitalised; it reports Alert, Provider and OCI HelmRepositories Ready=True. */
const operatorStateMatchers: Record<Exclude<ObjectState, 'stalled'>, Matchers<'flux_resource_info'>> = {
  any: {},
  withReady: { ready: re('True|False|Unknown') },
  ready: { ready: eq('True') },
  notReady: { ready: eq('False') },
  unknown: { ready: eq('Unknown') },
  suspended: { suspended: eq('True') },
};

/** The name matcher of a scope narrowed to objects by name (the object dashboard's). */
const nameMatcher = (scope: Scope) => (scope.objectName === undefined ? {} : { name: re(scope.objectName) });

function operatorObjectsIn(scope: Scope, state: ObjectState, kind: string, reasons?: string) {
  if (state === 'stalled')
    throw new Error('flux_resource_info has no Stalled condition: ask canTell(scope, state) first');
  return select(scope, 'flux_resource_info', {
    exported_namespace: re(scope.objectNamespace),
    kind: re(kind),
    ...nameMatcher(scope),
    ...operatorStateMatchers[state],
    ...(reasons ? { reason: re(reasons) } : {}),
  });
}

/** The legacy metrics (Flux ≤ 2.4) write a series per object and status; value 1 marks the current one. */
function legacyObjectsIn(scope: Scope, state: ObjectState, kind: string) {
  const objectMatchers = {
    [scope.objectNamespaceLabel]: re(scope.objectNamespace),
    kind: re(kind),
    ...nameMatcher(scope),
  };
  const readyIs = (status: string) =>
    promql.eq(
      select(scope, 'gotk_reconcile_condition', { ...objectMatchers, type: eq('Ready'), status: re(status) }),
      promql.n(1),
    );
  const current = {
    any: () => readyIs('True|False|Unknown'),
    withReady: () => readyIs('True|False|Unknown'),
    ready: () => readyIs('True'),
    notReady: () => readyIs('False'),
    unknown: () => readyIs('Unknown'),
    suspended: () => promql.eq(select(scope, 'gotk_suspend_status', objectMatchers), promql.n(1)),
    // Controllers that called fluxcd/pkg's RecordStalled wrote it; elsewhere there is no Stalled series and no row.
    stalled: () =>
      promql.eq(
        select(scope, 'gotk_reconcile_condition', { ...objectMatchers, type: eq('Stalled'), status: eq('True') }),
        promql.n(1),
      ),
  }[state]();
  // On Flux 2.0 a deleted object keeps its series with status="Deleted" at 1 until the controller restarts;
  // later releases drop the series.
  return promql.unless(current, readyIs('Deleted')).on(identity(scope));
}

/**
 * One series of value 1 per object in the state, as the flavour's metric has it (kube-state-metrics replicas and
 * controller replicas may repeat it: aggregate by `identity` before counting); `reasons`, a regex of Ready reasons,
 * narrows it where the metric has them.
 */
export function objectsIn(
  scope: Scope,
  state: ObjectState,
  kind = scope.kind,
  reasons?: string,
): promql.VectorExprBuilder | promql.BinaryExprBuilder {
  if (reasons && !readiness(scope).reason) throw new Error(`the ${scope.flavor} readiness metric has no Ready reason`);
  if (scope.flavor === 'legacy') return legacyObjectsIn(scope, state, kind);
  if (scope.flavor === 'flux-operator') return operatorObjectsIn(scope, state, kind, reasons);
  return select(scope, 'gotk_resource_info', {
    exported_namespace: re(scope.objectNamespace),
    customresource_kind: re(kind),
    ...nameMatcher(scope),
    ...resourceStateMatchers[state],
    ...(reasons ? { ready_reason: re(reasons) } : {}),
  });
}

/** Objects in the state, one series each (kube-state-metrics replicas folded). */
export function distinctObjects(scope: Scope, state: ObjectState, kind?: string) {
  return promql.group(objectsIn(scope, state, kind)).by(identity(scope));
}

export interface CountOptions {
  /** One count per kind; a total otherwise. */
  by?: 'kind';
  /** Only the kinds of this role (appliers: Kustomization, HelmRelease; sources…), whatever `$kind` is. */
  role?: FluxKind['role'];
}

/**
 * The query with a note naming the kinds the installation's readiness metric leaves out (the legacy metrics of a
 * release some controllers no longer write them in), among `kinds` (a regex of kind names) when it names them.
 */
function withReadinessNote(scope: Scope, query: Query, kinds?: string): Query {
  const named = kinds && /^[A-Za-z|]+$/.test(kinds) ? kinds.split('|') : undefined;
  const missing = kindsWithoutReadiness(scope.flavor, scope.fluxVersion)
    .filter((kind) => !named || named.includes(kind.kind))
    .map((kind) => kind.kind);
  if (missing.length === 0) return query;
  const note =
    `On Flux ${scope.fluxVersion} the controllers write no readiness metrics (gotk_reconcile_condition, ` +
    `gotk_suspend_status) for ` +
    `${missing.join(', ')}: no such object appears here.`;
  return { ...query, note };
}

/** How many objects are in the state. */
export function objectCount(scope: Scope, state: ObjectState, options: CountOptions = {}): Query {
  const by = [...clusterBy(scope), ...(options.by ? [objectLabels(scope).kind] : [])];
  const kinds = options.role ? kindsRegex(kindsOfRole(options.role)) : undefined;
  const count = promQuery(scope, promql.count(distinctObjects(scope, state, kinds)).by(by), by);
  return withReadinessNote(scope, count, kinds);
}

/**
 * The objects-by-kind table's counts: the `tableRowBound` cluster-and-kind pairs with most objects, each state's count
 * on the same rows (a pair left out of the total is left out of every column, so no cell shows a wrong 0).
 */
export function objectCountsByKind(
  scope: Scope,
): Record<'total' | 'ready' | 'notReady' | 'unknown' | 'suspended', Query> {
  const total = objectCount(scope, 'any', { by: 'kind' });
  const rows = promql.topk(tableRowBound, promql.count(distinctObjects(scope, 'any')).by(total.labels));
  const onRows = (state: ObjectState): Query => {
    const count = objectCount(scope, state, { by: 'kind' });
    const counted = promql.count(distinctObjects(scope, state)).by(count.labels);
    return { ...count, expr: promql.and(counted, rows).on(count.labels).toString() };
  };
  return {
    total: { ...total, expr: rows.toString() },
    ready: onRows('ready'),
    notReady: onRows('notReady'),
    unknown: onRows('unknown'),
    suspended: onRows('suspended'),
  };
}

/** Labels of `gotk_resource_info` the legacy metrics have an equivalent of (`ready` is their `status`). */
const legacyColumns: Record<string, string> = { ready: 'status' };

/** The legacy table: `ready` from the Ready condition's own series, as the other legacy columns have no source. */
function legacyObjectTable(scope: Scope, state: ObjectState, columns: readonly string[], kind?: string): Query {
  const id = identity(scope);
  const rows = objectsIn(scope, state, kind);
  const kept = columns.filter((column) => column in legacyColumns);
  if (kept.length === 0) return promQuery(scope, promql.max(rows).by(id), id);
  const byStatus = (expr: Parameters<typeof promql.max>[0]) =>
    kept.reduce<Parameters<typeof labelReplace>[0]>(
      (table, column) => labelReplace(table, column, '$1', legacyColumns[column]!, '(.*)'),
      promql.max(expr).by([...id, ...kept.map((column) => legacyColumns[column]!)]),
    );
  const readsReadyCondition = state !== 'suspended' && state !== 'stalled';
  if (readsReadyCondition) return promQuery(scope, byStatus(rows), [...id, ...kept]);
  // Suspended and stalled series carry no Ready status: join it from the Ready series; objects without one keep an
  // empty cell.
  const withReady = byStatus(promql.and(objectsIn(scope, 'any', kind), rows).on(id));
  return promQuery(scope, promql.or(withReady, promql.max(rows).by(id)).on(id), id);
}

/**
 * One row per object in the state with the given labels of the readiness metric besides its identity, value 1: a
 * table's query (the legacy flavour keeps only the columns its metrics have).
 */
export function objectTable(scope: Scope, state: ObjectState, columns: readonly string[], kind?: string): Query {
  if (scope.flavor === 'legacy') return withReadinessNote(scope, legacyObjectTable(scope, state, columns, kind), kind);
  const by = [...identity(scope), ...columns];
  return promQuery(scope, promql.max(objectsIn(scope, state, kind)).by(by), by);
}

/** The Ready reason's column, when the flavour's metric has one. */
const reasonColumn = (scope: Scope) => {
  const { reason } = readiness(scope);
  return reason ? [reason] : [];
};

/** Rank of a Ready status in a bounded table: failing first, then in progress, then ready. */
const readyRank: Array<[state: ObjectState, rank: number]> = [['notReady', 3], ['unknown', 2], ['ready', 1]];

/**
 * The objects in the state as `objectTable` lists them, at most `tableRowBound` of them, worst first where the table
 * shows readiness (each row's value is its Ready rank: Ready=False 3, Unknown 2, True 1); `omitted` counts the rest.
 */
function boundedObjectTable(scope: Scope, state: ObjectState, columns: readonly string[], kind?: string): Query {
  const table = objectTable(scope, state, columns, kind);
  const rowsOf = (ready: ObjectState) => promql.max(objectsIn(scope, ready, kind)).by(table.labels);
  const ranksReady = columns.includes('ready') && (state === 'any' || state === 'withReady');
  const ranked = () => {
    const byRank = readyRank
      .map(([ready, rank]) => promql.mul(rowsOf(ready), promql.n(rank)))
      .reduce((union: promql.BinaryExprBuilder, next) => promql.or(union, next));
    // Objects without a Ready condition (Alert, Provider) rank last.
    return state === 'any' ? promql.or(byRank, promql.mul(rowsOf('any'), promql.n(0))) : byRank;
  };
  const rows = ranksReady ? ranked() : rowsOf(state);
  // The legacy table joins its columns from several series: bounded as it is, unranked.
  const bounded =
    scope.flavor === 'legacy' ? `topk(${tableRowBound}, ${table.expr})` : promql.topk(tableRowBound, rows);
  const omittedCount = promql.gt(
    promql.sub(promql.count(distinctObjects(scope, state, kind)), promql.n(tableRowBound)),
    promql.n(0),
  );
  // One unlabelled row: its only cell is the table's "Not listed" column.
  const omitted = promQuery(scope, omittedCount);
  const note = `At most ${tableRowBound} rows, the worst first; a row of its own counts the objects not listed.`;
  return { ...table, expr: bounded.toString(), omitted, note: [table.note, note].filter(Boolean).join(' ') };
}

/** Objects with a Ready condition: one without would sort its empty Ready cell ahead of the failing ones. */
export function objectReadiness(scope: Scope): Query {
  return boundedObjectTable(scope, 'withReady', ['ready', ...reasonColumn(scope), 'suspended', 'revision']);
}

export function failingObjects(scope: Scope): Query {
  return boundedObjectTable(scope, 'notReady', [...reasonColumn(scope), 'source_name', 'revision']);
}

export function stalledObjects(scope: Scope): Query {
  return boundedObjectTable(scope, 'stalled', ['ready', ...reasonColumn(scope), 'revision']);
}

export function suspendedObjects(scope: Scope): Query {
  return boundedObjectTable(scope, 'suspended', ['ready', 'revision']);
}

export function helmReleaseCharts(scope: Scope): Query {
  return boundedObjectTable(scope, 'any', [...readiness(scope).helmReleaseColumns, 'ready'], 'HelmRelease');
}

export function sourceRevisions(scope: Scope): Query {
  const columns = [...readiness(scope).sourceColumns, 'revision', 'ready'];
  return boundedObjectTable(scope, 'any', columns, kindsRegex(kindsOfRole('source')));
}

// Reconcile duration, from the controllers' own histogram

function durationMatchers(scope: Scope): Matchers<'gotk_reconcile_duration_seconds'> {
  const objectNamespace = { [scope.objectNamespaceLabel]: re(scope.objectNamespace) };
  // Under honor_labels `namespace` is the object's: Flux's namespace cannot be told apart there.
  const fluxNamespace = scope.objectNamespaceLabel === 'namespace' ? {} : { namespace: re(scope.fluxNamespace) };
  return { ...fluxNamespace, ...objectNamespace, kind: re(scope.kind), ...nameMatcher(scope) };
}

/** Labels a per-kind duration rate keeps: Flux's namespace (unless the object's took its place) and the object's. */
const durationKeeps = (scope: Scope) => [
  ...(scope.objectNamespaceLabel === 'namespace' ? [] : ['namespace']),
  scope.objectNamespaceLabel,
  'kind',
];

const durationRate = (series: 'sum' | 'count' | 'bucket', keeps: (scope: Scope) => string[]) =>
  ({
    metric: 'gotk_reconcile_duration_seconds',
    series,
    level: 'kind',
    keeps,
    matchers: durationMatchers,
  }) as const satisfies RecordedRate;

/** Rates the recording rules record: reconcile duration per kind (and object namespace), not per object. */
export const recordedRates = {
  durationSum: durationRate('sum', durationKeeps),
  durationCount: durationRate('count', durationKeeps),
};

/** Every object's buckets, read raw: a quantile per kind sums eleven series per object, so none is recorded. */
const durationBuckets = durationRate('bucket', (scope) => [...durationKeeps(scope), 'le']);

/** A per-object breakdown reads the raw series: a rule recording every object would cost as much as they do. */
const perObject = (scope: Scope): Scope => ({ ...scope, recorded: false });

function averageDurationExpr(scope: Scope, by: string[]) {
  return promql.div(rateSum(scope, recordedRates.durationSum, by), rateSum(scope, recordedRates.durationCount, by));
}

/** The quantile of each object's reconcile duration over the rate interval (interpolated within its buckets). */
function objectDurationQuantileExpr(scope: Scope, quantile: number) {
  const buckets = rateSum(perObject(scope), durationBuckets, [...durationObject(scope), 'le']);
  return promql.histogramQuantile(quantile, buckets);
}

/** The labels that name an object on the controllers' own metrics (`gotk_reconcile_duration_seconds`). */
export const durationObject = (scope: Scope) =>
  objectIdentity(controllerObjectLabels(scope.objectNamespaceLabel), scope.clusterLabel);

/** What a reconcile-duration measure is broken down by: each kind, or each object. */
export type DurationGrouping = 'kind' | 'object';

const durationLabels = (scope: Scope, by: DurationGrouping) =>
  by === 'kind'
    ? [...clusterBy(scope), controllerObjectLabels(scope.objectNamespaceLabel).kind]
    : durationObject(scope);
const durationScope = (scope: Scope, by: DurationGrouping) => (by === 'kind' ? scope : perObject(scope));

export function reconcileDurationAverage(scope: Scope, by: DurationGrouping): Query {
  const labels = durationLabels(scope, by);
  return promQuery(scope, averageDurationExpr(durationScope(scope, by), labels), labels, { suffix: ' avg' });
}

const quantileSuffix = (quantile: number) => ` p${Math.round(quantile * 100)}`;

/** The quantile of one object's reconcile duration, from its own buckets. */
export function objectDurationQuantile(scope: Scope, quantile: number): Query {
  const expr = objectDurationQuantileExpr(scope, quantile);
  return promQuery(scope, expr, durationObject(scope), { suffix: quantileSuffix(quantile) });
}

/**
 * The quantile over each kind's objects of their average reconcile duration: "95 % of the kind's objects reconcile
 * within this". It reads the two series per object that the average reads (sum and count), not the eleven buckets
 * of every object that a quantile of all reconciliations reads: at 100,000 objects those pass Mimir's default limit
 * of chunks fetched per query. Objects that did not reconcile in the window have no average and are left out.
 */
export function objectsDurationQuantileByKind(scope: Scope, quantile: number): Query {
  const labels = durationLabels(scope, 'kind');
  const averages = promql.gte(averageDurationExpr(perObject(scope), durationObject(scope)), promql.n(0));
  // The builder's quantile takes its φ as a parameter, as topk takes its k.
  const expr = promql.quantile(averages).param(promql.n(quantile)).by(labels);
  return promQuery(scope, expr, labels, { suffix: `${quantileSuffix(quantile)} of objects` });
}

/** The objects whose reconciliations took longest on average over the window. */
export function slowestObjects(scope: Scope, count: number): Query {
  const labels = durationObject(scope);
  return promQuery(scope, promql.topk(count, averageDurationExpr(perObject(scope), labels)), labels);
}

export function reconcilesPerMinuteByKind(scope: Scope): Query {
  const labels = durationLabels(scope, 'kind');
  return promQuery(scope, promql.mul(rateSum(scope, recordedRates.durationCount, labels), promql.n(60)), labels);
}

/** Seconds spent reconciling per minute by kind: over reconciliations per minute, the average duration. */
export function reconcileSecondsPerMinuteByKind(scope: Scope): Query {
  const labels = durationLabels(scope, 'kind');
  const expr = promql.mul(rateSum(scope, recordedRates.durationSum, labels), promql.n(60));
  return promQuery(scope, expr, labels, { suffix: ' seconds' });
}

/** Objects whose reconcile-duration quantile is above the threshold (seconds): per object, from the raw series. */
export function slowObjectsExpr(scope: Scope, quantile: number, thresholdSeconds: number) {
  return promql.gt(objectDurationQuantileExpr(scope, quantile), promql.n(thresholdSeconds));
}
