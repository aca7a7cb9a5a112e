/** Alert rules on the controllers' logs (LogQL), for Loki's ruler and for Grafana: what only the logs show. */
import type { Config } from '../config';
import { dashboardIdentities, variableNames } from '../model';
import * as q from '../queries/log-alerts';
import { controllerNameLabel } from '../queries/logs';
import { alertScope } from '../queries/scope';
import {
  clusterVariable, dashboardUrl, durationText, fluxNamespaceVariable, inCluster, label, minutes, hours, urlLabel,
  withRunbooks, type Alert,
} from './alert';

/** Failures a controller may log over the window before it is a burst: one broken object retries less often. */
export const failureBurst = { window: minutes(10), threshold: 10 } as const;
/** A controller silent this long after logging in the lookback before: Flux logs every reconciliation at info. */
export const silence = { silence: minutes(30), lookback: hours(2) } as const;
const panicWindow = minutes(10);

export function logAlertRules(config: Config): Alert[] {
  const scope = alertScope(config);
  const { namespaceLabel } = scope.loki;
  const controller = controllerNameLabel(scope);
  const where = `in namespace ${label(namespaceLabel)}${inCluster(config)}`;
  const logsDashboard = dashboardUrl(config, dashboardIdentities.logs.uid, [
    ...clusterVariable(config),
    fluxNamespaceVariable(config),
    [variableNames.controller, urlLabel(controller)],
  ]);
  return withRunbooks(config, [
    {
      name: 'FluxReconciliationErrorBurst',
      severity: 'warning',
      subject: 'controller',
      for: minutes(5),
      window: failureBurst.window,
      query: q.reconciliationFailureBurst(scope, durationText(failureBurst.window), failureBurst.threshold),
      panel: 'reconciliationFailures',
      summary: 'A Flux controller logs a burst of failed reconciliations.',
      description:
        `Controller ${label(controller)} ${where} logged {{ $value }} reconciliation failures ` +
        `(as the Flux Logs dashboard's failure panels count them) over ${durationText(failureBurst.window)}: ` +
        'a source, registry or the API server may be failing every object.',
      dashboardUrl: logsDashboard,
    },
    {
      name: 'FluxControllerPanic',
      severity: 'critical',
      subject: 'controller',
      for: minutes(0),
      window: panicWindow,
      query: q.controllerPanics(scope, durationText(panicWindow)),
      panel: 'allLogs',
      summary: 'A Flux controller panicked.',
      description:
        `Controller ${label(controller)} ${where} logged a Go panic over the last ${durationText(panicWindow)}: ` +
        'a crash (plain-text stack trace) or a reconciliation that panicked and was recovered. ' +
        'Read the stack trace and report it to Flux.',
      dashboardUrl: logsDashboard,
    },
    {
      name: 'FluxControllerLogsStopped',
      severity: 'warning',
      subject: 'controller',
      for: minutes(5),
      window: silence.silence,
      query: q.silentControllers(scope, durationText(silence.silence), durationText(silence.lookback)),
      panel: 'logVolumeByLevel',
      summary: 'A Flux controller stopped logging.',
      description:
        `Controller ${label(controller)} ${where} logged nothing for ${durationText(silence.silence)} ` +
        `after logging in the ${durationText(silence.lookback)} before: ` +
        'it hangs, lost its leader lease, or its logs no longer reach Loki.',
      dashboardUrl: logsDashboard,
    },
  ]);
}
