/**
 * LogQL of the log alert rules: what only the controllers' logs show. Each query returns one series per controller
 * that should alert, read from the logs dashboard's streams (every controller) and named by controller on every
 * Loki preset, so a pod replaced by a rollout is the same controller.
 */
import { controllerFailureLines, controllerNameLabel, controllerNameStage, controllerStreams } from './logs';
import { logQuery, type Query } from './query';
import type { Scope } from './scope';

/**
 * Lines that mean a controller panicked. Plain text, not JSON: Go's own `panic: …` and `fatal error: …` before the
 * stack trace of a crashing container. JSON: controller-runtime's `Observed a panic` and a recovered panic returned as
 * the reconcile error (`"error":"panic: … [recovered]"`).
 */
export const panicMarkers = ['^panic: ', '^fatal error: ', '"panic: ', 'Observed a panic'] as const;

const everyController = '.+';

/** Labels a per-controller result keeps: cluster, Flux's namespace and the controller's name. */
export function perController(scope: Scope): string[] {
  return [...(scope.clusterLabel ? [scope.clusterLabel] : []), scope.loki.namespaceLabel, controllerNameLabel(scope)];
}

/** `sum by (cluster, namespace, controller) (count_over_time(<lines> [window] offset …))`. */
function countPerController(scope: Scope, lines: string, window: string, offset?: string): string {
  const range = `[${window}]${offset ? ` offset ${offset}` : ''}`;
  return `sum by (${perController(scope).join(', ')}) (count_over_time(${lines} ${range}))`;
}

/** Every line of every controller, named by controller (no parser: a metric query over it cannot fail). */
function everyLine(scope: Scope, ...stages: string[]): string {
  return [controllerStreams(scope, everyController), ...stages, ...controllerNameStage(scope)].join(' ');
}

/** Controllers that logged more than `threshold` reconciliation failures over `window`. */
export function reconciliationFailureBurst(scope: Scope, window: string, threshold: number): Query {
  const lines = controllerFailureLines(scope, everyController);
  return logQuery(`${countPerController(scope, lines, window)} > ${threshold}`, perController(scope));
}

/** Controllers that logged a panic over `window`. */
export function controllerPanics(scope: Scope, window: string): Query {
  const lines = everyLine(scope, `|~ ${JSON.stringify(panicMarkers.join('|'))}`);
  return logQuery(`${countPerController(scope, lines, window)} > 0`, perController(scope));
}

/** Controllers that logged in the `lookback` before the last `silence` and not once since. */
export function silentControllers(scope: Scope, silence: string, lookback: string): Query {
  const before = countPerController(scope, everyLine(scope), lookback, silence);
  const since = countPerController(scope, everyLine(scope), silence);
  return logQuery(`${before} unless ${since}`, perController(scope));
}
