/**
 * LogQL over the controllers' JSON logs (FLUX-FACTS.md §4). The JSON fields are extracted under names of their own so
 * they never clash with stream labels (`namespace` is both the pod's stream label and the object's field).
 */
import { logQuery, type Query } from './query';
import { variableNames, variableRef } from '../model/variables';
import type { Scope } from './scope';

/** The JSON fields the pipelines read, by the label each is extracted to. */
export const logFields = {
  level: 'level',
  msg: 'msg',
  reconciler: 'controller',
  object_namespace: 'namespace',
  object_name: 'name',
  error: 'error',
} as const;

/** Messages that mean a reconciliation failed: Flux's own, and controller-runtime's. */
export const reconciliationFailureMessages = ['Reconciliation failed', 'Reconciler error'] as const;

function streamSelector(scope: Scope): string {
  const matchers = [`${scope.loki.namespaceLabel}=~"${scope.fluxNamespace}"`, `${scope.loki.controllerLabel}=~"${variableRef(variableNames.controller)}"`];
  if (scope.clusterLabel && scope.cluster !== null) matchers.push(`${scope.clusterLabel}=~"${scope.cluster}"`);
  return `{${matchers.join(', ')}}`;
}

const jsonStage = `| json ${Object.entries(logFields).map(([label, field]) => `${label}="${field}"`).join(', ')}`;

interface LogFilter {
  /** Regex of the levels to keep; the `level` variable by default. */
  level?: string;
  /** Keep only lines whose message matches this regex. */
  lineRegex?: string;
}

/** The controllers' log lines under the dashboard's selection: text search, level, object namespace and name. */
function logLines(scope: Scope, filter: LogFilter = {}): string {
  const stages = [
    streamSelector(scope),
    `|= "${variableRef(variableNames.search)}"`,
    ...(filter.lineRegex ? [`|~ "${filter.lineRegex}"`] : []),
    jsonStage,
    `| level=~"${filter.level ?? variableRef(variableNames.level)}"`,
    `| object_namespace=~"${scope.objectNamespace}"`,
    `| object_name=~"${variableRef(variableNames.objectName)}"`,
  ];
  return stages.join(' ');
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
  return logQuery(logLines(scope, { lineRegex: reconciliationFailureMessages.join('|') }));
}

export function logVolumeByLevel(scope: Scope): Query {
  return logQuery(`sum by (level) (${countOverTime(logLines(scope))})`, ['level']);
}

export function errorsByController(scope: Scope): Query {
  const label = scope.loki.controllerLabel;
  return logQuery(`sum by (${label}) (${countOverTime(logLines(scope, { level: 'error' }))})`, [label]);
}

export function reconciliationFailuresByKind(scope: Scope): Query {
  const lines = logLines(scope, { lineRegex: reconciliationFailureMessages.join('|') });
  return logQuery(`sum by (reconciler) (${countOverTime(lines)})`, ['reconciler']);
}

// Variables

/** The controllers with logs in the chosen namespace (the official dashboard lists every app of every namespace). */
export function lokiControllerValues(scope: Scope): string {
  const matchers = [`${scope.loki.namespaceLabel}=~"${scope.fluxNamespace}"`];
  if (scope.clusterLabel && scope.cluster !== null) matchers.push(`${scope.clusterLabel}=~"${scope.cluster}"`);
  return `label_values({${matchers.join(', ')}}, ${scope.loki.controllerLabel})`;
}

export const logLevels = ['debug', 'info', 'error', 'trace'] as const;
