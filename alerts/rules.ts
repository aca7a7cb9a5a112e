/** The Flux alert rules: what each one means, how long it must hold, how bad it is and where to look. */
import type { Config } from '../config';
import {
  controllerObjectLabels, dashboardIdentities, fluxKinds, isAtLeast, legacyReadiness, readinessLabels,
  runbookPage, variableNames, type ObjectLabels,
} from '../model';
import * as q from '../queries/alerts';
import type { Query } from '../queries/query';
import { rateWindow } from '../queries/recorded';
import { alertScope, type Scope } from '../queries/scope';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  alert: string;
  expr: Query;
  for: string;
  severity: Severity;
  /** One plain sentence, no templates: the notification's title. */
  summary: string;
  /** Prometheus template naming the object (kind, namespace, name) or controller, and the cluster. */
  description: string;
  dashboardUrl: string;
  /** Where to read what to do: the rule's page under docs/runbooks/, set from its name by `withRunbooks`. */
  runbookUrl?: string;
}

/** The runbook page of an alert, named after it, under `alerts.runbookBaseUrl`. */
export const runbookUrl = (config: Config, alert: string) =>
  `${config.alerts.runbookBaseUrl.replace(/\/+$/, '')}/${runbookPage(alert)}`;

/** Every rule links its runbook page by name, so a new rule gets its link (and a test asks for its page). */
export const withRunbooks = (config: Config, rules: AlertRule[]): AlertRule[] =>
  rules.map((rule) => ({ ...rule, runbookUrl: runbookUrl(config, rule.alert) }));

/** `15m` → `15 minutes`. */
const minutes = (window: string) => `${window.replace(/m$/, '')} minutes`;

/** `{{ $labels.x }}`: a label of the alert in an annotation. */
export const label = (name: string) => `{{ $labels.${name} }}`;

/** A label value as a URL query value. */
export const urlLabel = (name: string) => `{{ $labels.${name} | urlquery }}`;

export function dashboardUrl(config: Config, uid: string, variables: Array<[string, string]>): string {
  const base = config.alerts.grafanaUrl.replace(/\/+$/, '');
  const query = variables.map(([name, value]) => `var-${name}=${value}`).join('&');
  return `${base}/d/${uid}?${query}`;
}

export function clusterVariable(config: Config): Array<[string, string]> {
  return config.clusterLabel ? [[variableNames.cluster, urlLabel(config.clusterLabel)]] : [];
}

/** ` in cluster <cluster>`, when there is a cluster label. */
export const inCluster = (config: Config) => (config.clusterLabel ? ` in cluster ${label(config.clusterLabel)}` : '');

export const fluxNamespaceVariable = (config: Config): [string, string] => [variableNames.namespace, encodeURIComponent(config.namespace)];

/** The Flux Cluster Stats dashboard narrowed to the object's cluster, namespace and kind. */
function objectDashboard(config: Config, labels: ObjectLabels): string {
  return dashboardUrl(config, dashboardIdentities.cluster.uid, [
    ...clusterVariable(config),
    fluxNamespaceVariable(config),
    [variableNames.objectNamespace, urlLabel(labels.namespace)],
    [variableNames.kind, urlLabel(labels.kind)],
  ]);
}

/** The Flux Control Plane dashboard of the controller's cluster. */
function controlPlaneDashboard(config: Config): string {
  return dashboardUrl(config, dashboardIdentities.controlPlane.uid, [...clusterVariable(config), fluxNamespaceVariable(config)]);
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
function objectRules(config: Config, scope: Scope): AlertRule[] {
  const readiness = readinessLabels(scope.flavor, scope.objectNamespaceLabel);
  const labels = readiness.object;
  const object = objectName(config, labels);
  const dashboard = objectDashboard(config, labels);
  const kindNotReady = (kind: string, severity: Severity): AlertRule => ({
    alert: `Flux${kind}NotReady`,
    expr: q.objectsInState(scope, 'notReady', kindOf(kind).kind),
    for: '15m',
    severity,
    summary: `A Flux ${kind} has not been ready for more than 15 minutes.`,
    description: `${object} has been Ready=False for more than 15 minutes: ${kind === 'GitRepository' ? 'every object built from it is stuck on its last artifact' : 'the cluster no longer follows its source'}.`,
    dashboardUrl: dashboard,
  });
  const rules: AlertRule[] = [
    {
      alert: 'FluxReconciliationFailure',
      expr: q.objectsInState(scope, 'notReady'),
      for: '10m',
      severity: 'warning',
      summary: 'A Flux object has not been ready for more than 10 minutes.',
      description: `${object} has been Ready=False for more than 10 minutes (Ready=Unknown, in progress, does not count).`,
      dashboardUrl: dashboard,
    },
  ];
  // Flux < 2.1 wrote no uniform Stalled series, and the Flux Operator's metric has no Stalled condition.
  if (scope.flavor !== 'legacy' && readiness.tellsStalled) {
    rules.push({
      alert: 'FluxReconciliationStalled',
      expr: q.objectsInState(scope, 'stalled'),
      for: '10m',
      severity: 'warning',
      summary: 'A Flux object is stalled: its controller will not retry until the object or its source changes.',
      description: `${object} has been Stalled=True for more than 10 minutes; fix its spec or source, then reconcile it.`,
      dashboardUrl: dashboard,
    });
  }
  rules.push({
    alert: 'FluxSuspendedResource',
    expr: q.objectsInState(scope, 'suspended'),
    for: '24h',
    severity: 'info',
    summary: 'A Flux object has been suspended for more than 24 hours.',
    description: `${object} has been suspended for more than 24 hours: drift from its source is not corrected.`,
    dashboardUrl: dashboard,
  });
  if (readiness.reason) {
    const reason = label(readiness.reason);
    rules.push({
      alert: 'FluxSourceArtifactFailed',
      expr: q.objectsFailingOnSource(scope),
      for: '5m',
      severity: 'warning',
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
  rules.push(
    kindNotReady('Kustomization', 'critical'),
    ...(helmReleaseReadiness ? [kindNotReady('HelmRelease', 'critical')] : []),
    kindNotReady('GitRepository', 'critical'),
  );
  return rules;
}

/** Reconcile duration, from the controllers' histogram (both flavours). */
function durationRule(config: Config): AlertRule {
  const scope = alertScope(config, '30m');
  const labels = controllerObjectLabels(config.objectNamespaceLabel);
  return {
    alert: 'FluxHighReconciliationTime',
    expr: q.slowReconcilingObjects(scope, 0.95, 60),
    for: '15m',
    severity: 'warning',
    summary: 'Reconciling a Flux object takes more than a minute at the 95th percentile.',
    description:
      `${objectName(config, labels)}: p95 reconciliation time over 30 minutes is {{ $value | humanizeDuration }}. ` +
      '60 s lies between the 31.9 s and 122.3 s buckets, so the estimate is interpolated: with every slow reconciliation in that bucket it fires once more than 7.3 % of them took over 31.9 s.',
    dashboardUrl: objectDashboard(config, labels),
  };
}

/** The controllers themselves. */
function controllerRules(config: Config): AlertRule[] {
  const scope = alertScope(config);
  const inNamespace = `in namespace ${config.namespace}`;
  const where = `${inNamespace}${inCluster(config)}`;
  const dashboard = controlPlaneDashboard(config);
  // With recording rules on, the error share is the recorded 5-minute rate: the alert still needs it for 15 minutes.
  const errorsScope = alertScope(config, '15m');
  return [
    {
      alert: 'FluxSystemDown',
      expr: q.controllersDown(scope),
      for: '5m',
      severity: 'critical',
      summary: 'A Flux controller is not running.',
      description:
        `{{ if $labels.deployment }}Flux controller Deployment ${label('deployment')} ${where} has no available, scraped replica` +
        `{{ else }}No Flux controller target ${inNamespace} is scraped in any cluster{{ end }}: what it reconciles is not being reconciled.`,
      dashboardUrl: dashboard,
    },
    {
      alert: 'FluxControllerCrashLooping',
      expr: q.crashLoopingControllers(alertScope(config, '30m'), 2),
      for: '5m',
      severity: 'warning',
      summary: 'A Flux controller keeps restarting.',
      description: `Pod ${label('pod')} of Flux controller ${label('deployment')} ${where} is in CrashLoopBackOff or restarted more than twice in 30 minutes.`,
      dashboardUrl: dashboard,
    },
    {
      alert: 'FluxControllerMemoryNearLimit',
      expr: q.controllersNearMemoryLimit(scope, 0.9),
      for: '15m',
      severity: 'warning',
      summary: 'A Flux controller uses more than 90 % of its memory limit.',
      description: `Pod ${label('pod')} of Flux controller ${label('deployment')} ${where} uses {{ $value | humanizePercentage }} of its memory limit: it will be OOM-killed next.`,
      dashboardUrl: dashboard,
    },
    {
      alert: 'FluxReconcileErrorsHigh',
      expr: q.controllersWithReconcileErrors(errorsScope, 0.1, 1),
      for: '15m',
      severity: 'warning',
      summary: 'A Flux controller returns errors for more than 10 % of its reconciliations.',
      description:
        `Controller ${label('controller')} ${where}: {{ $value | humanizePercentage }} of reconciliations ` +
        `over ${minutes(rateWindow(errorsScope))} returned an error.`,
      dashboardUrl: dashboard,
    },
    {
      alert: 'FluxWorkQueueBackingUp',
      expr: q.controllersBackingUp(scope),
      for: '15m',
      severity: 'warning',
      summary: 'A Flux controller has every worker busy while objects wait in its queue.',
      description: `Controller ${label('controller')} ${where} has used all its --concurrent workers with items waiting for 15 minutes: reconciliations are delayed.`,
      dashboardUrl: dashboard,
    },
  ];
}

export function alertRules(config: Config): AlertRule[] {
  const rules = [...objectRules(config, alertScope(config)), durationRule(config), ...controllerRules(config)];
  return withRunbooks(config, rules);
}
