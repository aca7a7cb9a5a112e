/** Alert rules on the controllers' logs (LogQL), for Loki's ruler and for Grafana: what only the logs show. */
import type { Config } from '../config';
import * as q from '../queries/log-alerts';
import { controllerNameLabel } from '../queries/logs';
import { alertScope } from '../queries/scope';
import { dashboardIdentities, variableNames } from '../model';
import {
  clusterVariable,
  dashboardUrl,
  fluxNamespaceVariable,
  inCluster,
  label,
  urlLabel,
  withRunbooks,
  type AlertRule,
} from './rules';

/** Failures a controller may log over the window before it is a burst: one broken object retries less often. */
export const failureBurst = { window: '10m', threshold: 10 } as const;
/** A controller silent this long after logging in the lookback before: Flux logs every reconciliation at info. */
export const silence = { silence: '30m', lookback: '2h' } as const;
const panicWindow = '10m';

export function logAlertRules(config: Config): AlertRule[] {
  const scope = alertScope(config);
  const { namespaceLabel } = scope.loki;
  const controller = controllerNameLabel(scope);
  const where = `in namespace ${label(namespaceLabel)}${inCluster(config)}`;
  const logsDashboard = (controllerLabel: string) =>
    dashboardUrl(config, dashboardIdentities.logs.uid, [
      ...clusterVariable(config),
      fluxNamespaceVariable(config),
      [variableNames.controller, urlLabel(controllerLabel)],
    ]);
  return withRunbooks(config, [
    {
      alert: 'FluxReconciliationErrorBurst',
      expr: q.reconciliationFailureBurst(scope, failureBurst.window, failureBurst.threshold),
      for: '5m',
      severity: 'warning',
      summary: 'A Flux controller logs a burst of failed reconciliations.',
      description:
        `Controller ${label(controller)} ${where} logged {{ $value }} reconciliation failures ` +
        `(as the Flux Logs dashboard's failure panels count them) over ${failureBurst.window}: ` +
        'a source, registry or the API server may be failing every object.',
      dashboardUrl: logsDashboard(controller),
    },
    {
      alert: 'FluxControllerPanic',
      expr: q.controllerPanics(scope, panicWindow),
      for: '0m',
      severity: 'critical',
      summary: 'A Flux controller panicked.',
      description:
        `Controller ${label(controller)} ${where} logged a Go panic over the last ${panicWindow}: ` +
        'a crash (plain-text stack trace) or a reconciliation that panicked and was recovered. ' +
        'Read the stack trace and report it to Flux.',
      dashboardUrl: logsDashboard(controller),
    },
    {
      alert: 'FluxControllerLogsStopped',
      expr: q.silentControllers(scope, silence.silence, silence.lookback),
      for: '5m',
      severity: 'warning',
      summary: 'A Flux controller stopped logging.',
      description:
        `Controller ${label(controller)} ${where} logged nothing for ${silence.silence} ` +
        `after logging in the ${silence.lookback} before: ` +
        'it hangs, lost its leader lease, or its logs no longer reach Loki.',
      dashboardUrl: logsDashboard(controller),
    },
  ]);
}
