/** The Flux alert rules: what each one means, how long it must hold, how bad it is and where to look. */
import type { Config } from '../config';
import {
  controllerObjectLabels, dashboardIdentities, fluxKinds, isAtLeast, legacyReadiness, readinessLabels, variableNames,
  type ObjectLabels,
} from '../model';
import * as q from '../queries/alerts';
import { rateWindow } from '../queries/recorded';
import { alertScope, type Scope } from '../queries/scope';
import {
  clusterVariable, dashboardUrl, durationText, durationWords, fluxNamespaceVariable, hours, inCluster, label, minutes,
  urlLabel, withRunbooks, type Alert, type AlertDeclaration, type Severity,
} from './alert';

/** `0.9` → `90 %`. */
const percent = (share: number) => `${Math.round(share * 100)} %`;

/** The Flux Object dashboard of the object the alert names: its cluster, kind, namespace and name. */
function objectDashboard(config: Config, labels: ObjectLabels): string {
  return dashboardUrl(config, dashboardIdentities.object.uid, [
    ...clusterVariable(config),
    fluxNamespaceVariable(config),
    [variableNames.kind, urlLabel(labels.kind)],
    [variableNames.objectNamespace, urlLabel(labels.namespace)],
    [variableNames.objectName, urlLabel(labels.name)],
  ]);
}

/** The Flux Control Plane dashboard of the controller's cluster. */
function controlPlaneDashboard(config: Config): string {
  const variables = [...clusterVariable(config), fluxNamespaceVariable(config)];
  return dashboardUrl(config, dashboardIdentities.controlPlane.uid, variables);
}

/** `Kustomization apps/podinfo in cluster prod`, from the object's labels. */
function objectName(config: Config, labels: ObjectLabels): string {
  return `${label(labels.kind)} ${label(labels.namespace)}/${label(labels.name)}${inCluster(config)}`;
}

function kindOf(name: string) {
  const kind = fluxKinds.find((k) => k.kind === name);
  if (!kind) throw new Error(`unknown Flux kind ${name}`);
  return kind;
}

/** The readiness alerts, read from the flavour's readiness metric. */
function objectAlerts(config: Config, scope: Scope): AlertDeclaration[] {
  const readiness = readinessLabels(scope.flavor, scope.objectNamespaceLabel);
  const labels = readiness.object;
  const object = objectName(config, labels);
  const dashboard = objectDashboard(config, labels);
  const kindNotReady = (kind: string, severity: Severity, consequence: string): AlertDeclaration => {
    const holds = minutes(15);
    return {
      name: `Flux${kind}NotReady`,
      severity,
      subject: 'readiness',
      for: holds,
      query: q.objectsInState(scope, 'notReady', kindOf(kind).kind),
      panel: 'failingObjects',
      summary: `A Flux ${kind} has not been ready for more than ${durationWords(holds)}.`,
      description: `${object} has been Ready=False for more than ${durationWords(holds)}: ${consequence}.`,
      dashboardUrl: dashboard,
    };
  };
  const failing = minutes(10);
  const alerts: AlertDeclaration[] = [
    {
      name: 'FluxReconciliationFailure',
      severity: 'warning',
      subject: 'readiness',
      for: failing,
      query: q.objectsInState(scope, 'notReady'),
      panel: 'failingObjects',
      summary: `A Flux object has not been ready for more than ${durationWords(failing)}.`,
      description:
        `${object} has been Ready=False for more than ${durationWords(failing)} ` +
        '(Ready=Unknown, in progress, does not count).',
      dashboardUrl: dashboard,
    },
  ];
  // Flux < 2.1 wrote no uniform Stalled series, and the Flux Operator's metric has no Stalled condition.
  if (scope.flavor !== 'legacy' && readiness.tellsStalled) {
    const stalled = minutes(10);
    alerts.push({
      name: 'FluxReconciliationStalled',
      severity: 'warning',
      subject: 'readiness',
      for: stalled,
      query: q.objectsInState(scope, 'stalled'),
      panel: 'stalledObjects',
      summary: 'A Flux object is stalled: its controller will not retry until the object or its source changes.',
      description:
        `${object} has been Stalled=True for more than ${durationWords(stalled)}; ` +
        'fix its spec or source, then reconcile it.',
      dashboardUrl: dashboard,
    });
  }
  const suspended = hours(24);
  alerts.push({
    name: 'FluxSuspendedResource',
    severity: 'info',
    subject: 'readiness',
    for: suspended,
    query: q.objectsInState(scope, 'suspended'),
    panel: 'suspendedObjects',
    summary: `A Flux object has been suspended for more than ${durationWords(suspended)}.`,
    description:
      `${object} has been suspended for more than ${durationWords(suspended)}: drift from its source is not corrected.`,
    dashboardUrl: dashboard,
  });
  if (readiness.reason) {
    const reason = label(readiness.reason);
    alerts.push({
      name: 'FluxSourceArtifactFailed',
      severity: 'warning',
      subject: 'readiness',
      for: minutes(5),
      query: q.objectsFailingOnSource(scope),
      panel: 'failingObjects',
      summary: "A Flux Kustomization or HelmRelease cannot use its source's artifact.",
      description:
        `${object} is Ready=False with reason ${reason}: ` +
        `{{ if eq $labels.${readiness.reason} "SourceNotReady" }}its source exists but is not ready` +
        '{{ else }}its source is missing or has no artifact, or the artifact could not be fetched, verified or lacks ' +
        'the path{{ end }}; ' +
        'its Ready message says which.',
      dashboardUrl: dashboard,
    });
  }
  // In the legacy flavour on Flux 2.2–2.4 helm-controller writes no readiness: a HelmRelease rule could never fire.
  const helmReleaseReadiness =
    scope.flavor !== 'legacy' || isAtLeast(legacyReadiness.helmReleaseLastRelease, config.fluxVersion);
  const unfollowed = 'the cluster no longer follows its source';
  alerts.push(
    kindNotReady('Kustomization', 'critical', unfollowed),
    ...(helmReleaseReadiness ? [kindNotReady('HelmRelease', 'critical', unfollowed)] : []),
    kindNotReady('GitRepository', 'critical', 'every object built from it is stuck on its last artifact'),
  );
  return alerts;
}

/** Reconcile duration, from the controllers' histogram (both flavours). */
function durationAlert(config: Config): AlertDeclaration {
  const window = minutes(30);
  const scope = alertScope(config, durationText(window));
  const labels = controllerObjectLabels(config.objectNamespaceLabel);
  return {
    name: 'FluxHighReconciliationTime',
    severity: 'warning',
    subject: 'object',
    for: minutes(15),
    window,
    query: q.slowReconcilingObjects(scope, 0.95, 60),
    panel: 'slowestObjects',
    summary: 'Reconciling a Flux object takes more than a minute at the 95th percentile.',
    description:
      `${objectName(config, labels)}: p95 reconciliation time over ${durationWords(window)} is ` +
      '{{ $value | humanizeDuration }}. ' +
      '60 s lies between the 31.9 s and 122.3 s buckets, so the estimate is interpolated: with every slow ' +
      'reconciliation in that bucket it fires once more than 7.3 % of them took over 31.9 s.',
    dashboardUrl: objectDashboard(config, labels),
  };
}

/** The controllers themselves. */
function controllerAlerts(config: Config): AlertDeclaration[] {
  const scope = alertScope(config);
  const inNamespace = `in namespace ${config.namespace}`;
  const where = `${inNamespace}${inCluster(config)}`;
  const dashboard = controlPlaneDashboard(config);
  const restartWindow = minutes(30);
  // With recording rules on, the error share is the recorded 5-minute rate: the alert still needs it for 15 minutes.
  const errorWindow = minutes(15);
  const errorsScope = alertScope(config, durationText(errorWindow));
  const backingUp = minutes(15);
  const memoryShare = 0.9;
  const errorShare = 0.1;
  return [
    {
      name: 'FluxSystemDown',
      severity: 'critical',
      subject: 'controller',
      // A controller that does not run explains its objects failing and its siblings' errors.
      explains: ['readiness', 'object', 'controller'],
      for: minutes(5),
      query: q.controllersDown(scope),
      panel: 'controllersAndVersions',
      summary: 'A Flux controller is not running.',
      description:
        `{{ if $labels.deployment }}Flux controller Deployment ${label('deployment')} ${where} ` +
        'has no available, scraped replica' +
        `{{ else }}No Flux controller target ${inNamespace} is scraped in any cluster{{ end }}: ` +
        'what it reconciles is not being reconciled.',
      dashboardUrl: dashboard,
    },
    {
      name: 'FluxControllerCrashLooping',
      severity: 'warning',
      subject: 'controller',
      for: minutes(5),
      window: restartWindow,
      query: q.crashLoopingControllers(alertScope(config, durationText(restartWindow)), 2),
      panel: 'restartsByPod',
      summary: 'A Flux controller keeps restarting.',
      description:
        `Pod ${label('pod')} of Flux controller ${label('deployment')} ${where} is in CrashLoopBackOff ` +
        `or restarted more than twice in ${durationWords(restartWindow)}.`,
      dashboardUrl: dashboard,
    },
    {
      name: 'FluxControllerMemoryNearLimit',
      severity: 'warning',
      subject: 'controller',
      for: minutes(15),
      query: q.controllersNearMemoryLimit(scope, memoryShare),
      panel: 'memoryByPod',
      summary: `A Flux controller uses more than ${percent(memoryShare)} of its memory limit.`,
      description:
        `Pod ${label('pod')} of Flux controller ${label('deployment')} ${where} ` +
        'uses {{ $value | humanizePercentage }} of its memory limit: it will be OOM-killed next.',
      dashboardUrl: dashboard,
    },
    {
      name: 'FluxReconcileErrorsHigh',
      severity: 'warning',
      subject: 'controller',
      for: minutes(15),
      window: errorWindow,
      query: q.controllersWithReconcileErrors(errorsScope, errorShare, 1),
      panel: 'reconcileErrorRatio',
      summary: `A Flux controller returns errors for more than ${percent(errorShare)} of its reconciliations.`,
      description:
        `Controller ${label('controller')} ${where}: {{ $value | humanizePercentage }} of reconciliations ` +
        `over ${rateWindow(errorsScope).replace(/m$/, '')} minutes returned an error.`,
      dashboardUrl: dashboard,
    },
    {
      name: 'FluxWorkQueueBackingUp',
      severity: 'warning',
      subject: 'controller',
      for: backingUp,
      query: q.controllersBackingUp(scope),
      panel: 'workersBusy',
      summary: 'A Flux controller has every worker busy while objects wait in its queue.',
      description:
        `Controller ${label('controller')} ${where} has used all its --concurrent workers with items waiting ` +
        `for ${durationWords(backingUp)}: reconciliations are delayed.`,
      dashboardUrl: dashboard,
    },
  ];
}

/** kube-state-metrics' Flux series missing where the controllers run: every readiness alert is blind there. */
function objectMetricsAlert(config: Config): AlertDeclaration {
  return {
    name: 'FluxObjectMetricsMissing',
    severity: 'warning',
    for: minutes(15),
    query: q.objectMetricsMissing(alertScope(config)),
    panel: 'failingObjects',
    // Its cause also ends or garbles every readiness alert of the cluster.
    explains: ['readiness'],
    summary: 'No Flux object readiness reaches Prometheus while the Flux controllers are scraped.',
    description:
      `No Flux object has a gotk_resource_info series${inCluster(config)} while the Flux controllers in namespace ` +
      `${label('namespace')} are scraped: ` +
      'kube-state-metrics is not scraped, or runs without the Flux CustomResourceState configuration; ' +
      'the readiness alerts and panels see nothing.',
    dashboardUrl: dashboardUrl(config, dashboardIdentities.cluster.uid, [
      ...clusterVariable(config),
      fluxNamespaceVariable(config),
    ]),
  };
}

/** The Prometheus alerts of the configuration, each with its runbook link. */
export function alertRules(config: Config): Alert[] {
  const readsStateMetrics = config.flavor === 'kube-state-metrics';
  const alerts = [
    ...objectAlerts(config, alertScope(config)),
    durationAlert(config),
    ...controllerAlerts(config),
    ...(readsStateMetrics ? [objectMetricsAlert(config)] : []),
  ];
  return withRunbooks(config, alerts);
}
