/**
 * LogQL over the controllers' JSON logs (docs/flux-facts.md). The JSON fields are extracted under names of their own so
 * they never clash with stream labels (`namespace` is both the pod's stream label and the object's field).
 */
import { deploymentPodSuffix, fluxDeployments, kindsOfRole, kindsRegex } from '../model/kinds';
import { logFields } from '../model/loki';
import { variableNames, variableRef } from '../model/variables';
import { logQuery, type Query } from './query';
import type { Scope } from './scope';

export { logFields } from '../model/loki';

/**
 * Messages of a failed reconciliation (docs/flux-facts.md), each a regex of the whole `msg`: Flux's own
 * (kustomize-controller), controller-runtime's, and source-controller's for an error that stalls the object.
 */
export const reconciliationFailureMessages = [
  'Reconciliation failed.*',
  'Reconciler error',
  'reconciliation stalled',
] as const;

/**
 * source-controller logs any other failed reconciliation at level error with the bare error text as its message
 * (source-controller `internal/reconcile/summarize/processor.go`, `logError`): every error-level line of a source
 * kind's reconcile is a failure.
 */
export const bareErrorReconcilers = kindsRegex(kindsOfRole('source'), 'controller');

/** The label a metric query groups the controllers by: the controller label itself, or one derived from the pod. */
export const controllerNameLabel = (scope: Scope) =>
  (scope.loki.controllerLabelHolds === 'controller' ? scope.loki.controllerLabel : 'controller');

/** The label Loki sets on a line a parser stage could not parse (`JSONParserErr` for `| json`). */
const parserError = '__error__';

/** A selection of controllers (the controller variable's by default) as a regex of the controller label's values. */
function controllerMatcher(scope: Scope, chosen: string): string {
  const { controllerLabel, controllerLabelHolds } = scope.loki;
  const value = controllerLabelHolds === 'pod' ? `(${chosen})${deploymentPodSuffix}` : chosen;
  return `${controllerLabel}=~"${value}"`;
}

function namespaceMatchers(scope: Scope): string[] {
  const matchers = [`${scope.loki.namespaceLabel}=~"${scope.fluxNamespace}"`];
  if (scope.clusterLabel && scope.cluster !== null) matchers.push(`${scope.clusterLabel}=~"${scope.cluster}"`);
  return matchers;
}

/** The chosen controllers' streams: in the selector, or right after it where the label is structured metadata. */
export function controllerStreams(scope: Scope, chosen = variableRef(variableNames.controller)): string {
  const namespace = namespaceMatchers(scope);
  if (scope.loki.controllerLabelIn === 'stream') {
    return `{${[namespace[0], controllerMatcher(scope, chosen), ...namespace.slice(1)].join(', ')}}`;
  }
  return `{${namespace.join(', ')}} | ${controllerMatcher(scope, chosen)}`;
}

const failureStage = `| msg=~"${reconciliationFailureMessages.join('|')}" or reconciler=~"${bareErrorReconcilers}"`;

const jsonStage = `| json ${Object.entries(logFields).map(([label, field]) => `${label}="${field}"`).join(', ')}`;

interface LogFilter {
  /** Regex of the levels to keep; the `level` variable by default. */
  level?: string;
  /** Keep only reconciliation failures. */
  failures?: boolean;
  /**
   * For a metric query: drop the lines `| json` could not parse (a panic's stack trace, klog at start-up), because
   * Loki fails a whole metric query over any sample carrying `__error__`. Log queries keep and show them.
   */
  dropUnparsed?: boolean;
}

/** The controllers' log lines under the dashboard's selection: text search, level, object namespace and name. */
function logLines(scope: Scope, filter: LogFilter = {}): string {
  const stages = [
    controllerStreams(scope),
    `|= "${variableRef(variableNames.search)}"`,
    jsonStage,
    ...(filter.dropUnparsed ? [`| ${parserError}=""`] : []),
    `| level=~"${filter.failures ? 'error' : (filter.level ?? variableRef(variableNames.level))}"`,
    ...(filter.failures ? [failureStage] : []),
    `| object_namespace=~"${scope.objectNamespace}"`,
    `| object_name=~"${variableRef(variableNames.objectName)}"`,
  ];
  return stages.join(' ');
}

/** Adds the controller's name as a label where the pipeline only has its pod's name. */
export function controllerNameStage(scope: Scope): string[] {
  if (scope.loki.controllerLabelHolds === 'controller') return [];
  const template = `{{ regexReplaceAll "${deploymentPodSuffix}$" .${scope.loki.controllerLabel} "" }}`;
  return [`| label_format ${controllerNameLabel(scope)}=\`${template}\``];
}

/**
 * Reconciliation failures of the chosen controllers, unparsed lines dropped, named by controller: the lines a metric
 * query (an alert) counts, without the dashboard's search, object and level selection.
 */
export function controllerFailureLines(scope: Scope, chosen: string): string {
  const stages = [jsonStage, `| ${parserError}=""`, '| level=~"error"', failureStage, ...controllerNameStage(scope)];
  return [controllerStreams(scope, chosen), ...stages].join(' ');
}

function countOverTime(lines: string): string {
  return `count_over_time(${lines} [$__auto])`;
}

export function logLinesAll(scope: Scope): Query {
  return logQuery(logLines(scope));
}

export function errorLogLines(scope: Scope): Query {
  return logQuery(logLines(scope, { level: 'error' }));
}

export function reconciliationFailureLogLines(scope: Scope): Query {
  return logQuery(logLines(scope, { failures: true }));
}

export function logVolumeByLevel(scope: Scope): Query {
  return logQuery(`sum by (level) (${countOverTime(logLines(scope, { dropUnparsed: true }))})`, ['level']);
}

export function errorsByController(scope: Scope): Query {
  const lines = [logLines(scope, { level: 'error', dropUnparsed: true }), ...controllerNameStage(scope)].join(' ');
  const label = controllerNameLabel(scope);
  return logQuery(`sum by (${label}) (${countOverTime(lines)})`, [label]);
}

export function reconciliationFailuresByKind(scope: Scope): Query {
  const lines = logLines(scope, { failures: true, dropUnparsed: true });
  return logQuery(`sum by (reconciler) (${countOverTime(lines)})`, ['reconciler']);
}

// One object (the object dashboard)

/** Its kind's controller's lines about one object: the JSON `controller` is the kind in lower case. */
function objectLines(scope: Scope, level: string): string {
  const kind = variableRef(variableNames.kind);
  return [
    controllerStreams(scope, fluxDeployments.join('|')),
    jsonStage,
    `| level=~"${level}"`,
    `| reconciler=~"(?i)${kind}"`,
    `| object_namespace="${variableRef(variableNames.objectNamespace)}"`,
    `| object_name="${variableRef(variableNames.objectName)}"`,
  ].join(' ');
}

/** Every line about the object the dashboard shows, lines that are not JSON left out (they name no object). */
export function objectLogLines(scope: Scope): Query {
  return logQuery(objectLines(scope, '.*'));
}

export function objectErrorLogLines(scope: Scope): Query {
  return logQuery(objectLines(scope, 'error'));
}

// Variables

/** How the dashboard offers the controllers: always by controller name, never by pod name. */
export type ControllerVariable =
  /** `label_values` of a stream label; `regex` (a Grafana variable regex) keeps the controller part of a pod name. */
  | { type: 'query'; query: string; regex?: string }
  /** A fixed list, where no stream label tells the controllers apart (the controller is in structured metadata). */
  | { type: 'custom'; values: readonly string[] };

/** The controllers with logs in the chosen namespace (the official dashboard lists every app of every namespace). */
export function lokiControllerVariable(scope: Scope): ControllerVariable {
  const { controllerLabel, controllerLabelHolds, controllerLabelIn } = scope.loki;
  // Loki's label-values API lists stream labels only: structured metadata is filterable but never listed.
  if (controllerLabelIn === 'structured-metadata') return { type: 'custom', values: fluxDeployments };
  const query = `label_values({${namespaceMatchers(scope).join(', ')}}, ${controllerLabel})`;
  if (controllerLabelHolds === 'controller') return { type: 'query', query };
  return { type: 'query', query, regex: `/^(.+)${deploymentPodSuffix}$/` };
}

export const logLevels = ['debug', 'info', 'error', 'trace'] as const;
