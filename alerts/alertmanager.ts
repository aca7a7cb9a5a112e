/**
 * Alertmanager's side of the alerts, derived from the alert set: a route tree (by severity, then by the object labels
 * that name an owner) and inhibit rules (an alert whose cause explains others silences theirs in its cluster). Written
 * as a fragment to merge, as a complete example alertmanager.yml, and as a Prometheus Operator AlertmanagerConfig.
 */
import type { Config } from '../config';
import {
  alertmanagerObjectName, alertNameLabel, defaultTimings, objectLabelName, outputFiles, receiverName, severityLabel,
  type NotificationTimings,
} from '../model';
import { kubernetesObject, toYamlFile, type Artifacts } from '../output';
import { everyAlert, type Alert, type AlertSet, type AlertSubject, type Severity } from './alert';

/** A label matcher, as Alertmanager's configuration and the AlertmanagerConfig resource both spell one out. */
export interface Matcher {
  name: string;
  matchType: '=' | '=~';
  value: string;
}

export interface Route {
  receiver: string;
  matchers: Matcher[];
  groupBy?: string[];
  timings?: NotificationTimings;
  routes?: Route[];
}

export interface InhibitRule {
  /** Why, in a sentence: written beside the rule. */
  why: string;
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

export interface AlertmanagerSide {
  route: Route;
  inhibitRules: InhibitRule[];
  /** Every receiver the route tree names: placeholders to fill in. */
  receivers: string[];
}

const severityOrder: Severity[] = ['critical', 'warning', 'info'];
const nameMatcher = (alerts: Alert[]): Matcher =>
  alerts.length === 1
    ? { name: alertNameLabel, matchType: '=', value: alerts[0]!.name }
    : { name: alertNameLabel, matchType: '=~', value: alerts.map((alert) => alert.name).join('|') };

/** Notification timings per severity: critical alerts repeat sooner. */
export type Timings = Record<'critical' | 'other', NotificationTimings>;

/**
 * The Flux route: every alert of the set, grouped per alert, cluster and owner; one child per severity, and below it
 * one per object label, for the alerts that carry it (the first label an alert carries chooses).
 */
function fluxRoute(config: Config, alerts: Alert[], timings: Timings): Route {
  const ownerLabels = config.objectLabels.map(objectLabelName);
  const severities = severityOrder.filter((severity) => alerts.some((alert) => alert.severity === severity));
  return {
    receiver: alertmanagerObjectName,
    matchers: [nameMatcher(alerts)],
    groupBy: [alertNameLabel, ...(config.clusterLabel ? [config.clusterLabel] : []), ...ownerLabels],
    timings: timings.other,
    routes: severities.map((severity) => ({
      receiver: receiverName(severity),
      matchers: [{ name: severityLabel, matchType: '=', value: severity }],
      // Children inherit their parent's timings: only critical alerts say their own.
      ...(severity === 'critical' ? { timings: timings.critical } : {}),
      ...(ownerLabels.length
        ? {
            routes: ownerLabels.map((owner) => ({
              receiver: receiverName(severity, owner),
              matchers: [{ name: owner, matchType: '=~', value: '.+' } as Matcher],
            })),
          }
        : {}),
    })),
  };
}

const subjectWords: Record<AlertSubject, string> = {
  readiness: 'readiness alerts of its objects',
  object: 'per-object alerts',
  controller: 'per-controller alerts',
};

/**
 * For each alert whose cause explains others (`explains`): while it fires, the alerts of the subjects it explains,
 * in the same cluster, are inhibited. An alert never inhibits itself.
 */
function inhibitRules(config: Config, alerts: Alert[]): InhibitRule[] {
  const equal = config.clusterLabel ? [config.clusterLabel] : [];
  return alerts.flatMap((source) =>
    (source.explains ?? []).flatMap((subject) => {
      const targets = alerts.filter((alert) => alert.subject === subject && alert.name !== source.name);
      if (targets.length === 0) return [];
      return [{
        why: `${source.name} silences the ${subjectWords[subject]}${equal.length ? ' in its cluster' : ''}`,
        source: [nameMatcher([source])],
        target: [nameMatcher(targets)],
        equal,
      }];
    }),
  );
}

/** Receivers in the order the tree names them. */
function receiversOf(route: Route): string[] {
  return [route.receiver, ...(route.routes ?? []).flatMap(receiversOf)];
}

export function alertmanagerSide(
  config: Config, alerts: AlertSet, timings: Timings = defaultTimings,
): AlertmanagerSide {
  const every = everyAlert(alerts);
  const route = fluxRoute(config, every, timings);
  return { route, inhibitRules: inhibitRules(config, every), receivers: [...new Set(receiversOf(route))] };
}

// Alertmanager's configuration file

const matcherText = (matcher: Matcher) => `${matcher.name}${matcher.matchType}${JSON.stringify(matcher.value)}`;

function fileRoute(route: Route): Record<string, unknown> {
  return {
    receiver: route.receiver,
    matchers: route.matchers.map(matcherText),
    ...(route.groupBy ? { group_by: route.groupBy } : {}),
    ...(route.timings
      ? {
          group_wait: route.timings.groupWait,
          group_interval: route.timings.groupInterval,
          repeat_interval: route.timings.repeatInterval,
        }
      : {}),
    ...(route.routes ? { routes: route.routes.map(fileRoute) } : {}),
  };
}

const fileInhibitRule = (rule: InhibitRule) => ({
  source_matchers: rule.source.map(matcherText),
  target_matchers: rule.target.map(matcherText),
  equal: rule.equal,
});

/** The fragment to merge into an alertmanager.yml: a route for `route.routes`, inhibit rules and receiver names. */
export function alertmanagerFragment(side: AlertmanagerSide) {
  return {
    routes: [fileRoute(side.route)],
    inhibit_rules: side.inhibitRules.map(fileInhibitRule),
    receivers: side.receivers.map((name) => ({ name })),
  };
}

/** Alertmanager's root route: what no child route takes goes here. */
export const defaultReceiver = 'default';

/** A complete alertmanager.yml: the Flux route under a root route, the inhibit rules, placeholder receivers. */
export function alertmanagerFile(side: AlertmanagerSide) {
  const fragment = alertmanagerFragment(side);
  return {
    route: { receiver: defaultReceiver, group_by: [alertNameLabel], routes: fragment.routes },
    inhibit_rules: fragment.inhibit_rules,
    receivers: [{ name: defaultReceiver }, ...fragment.receivers],
  };
}

// The Prometheus Operator's AlertmanagerConfig

function resourceRoute(route: Route): Record<string, unknown> {
  return {
    receiver: route.receiver,
    matchers: route.matchers,
    ...(route.groupBy ? { groupBy: route.groupBy } : {}),
    ...(route.timings
      ? {
          groupWait: route.timings.groupWait,
          groupInterval: route.timings.groupInterval,
          repeatInterval: route.timings.repeatInterval,
        }
      : {}),
    ...(route.routes ? { routes: route.routes.map(resourceRoute) } : {}),
  };
}

export function alertmanagerConfigObject(config: Config, side: AlertmanagerSide) {
  const { namespace, monitoringLabels: labels, monitoringAnnotations: annotations } = config.packaging;
  return kubernetesObject(
    'AlertmanagerConfig',
    { name: alertmanagerObjectName, namespace, component: 'alerts', labels, annotations },
    {
      spec: {
        route: resourceRoute(side.route),
        inhibitRules: side.inhibitRules.map((rule) => ({
          sourceMatch: rule.source,
          targetMatch: rule.target,
          equal: rule.equal,
        })),
        receivers: side.receivers.map((name) => ({ name })),
      },
    },
  );
}

const placeholders = 'The receivers are placeholders: give each its notification settings (e.g. webhook_configs).';

/** The files of dist/alertmanager/. */
export function alertmanagerArtifacts(config: Config, alerts: AlertSet): Artifacts {
  const side = alertmanagerSide(config, alerts);
  return new Map([
    [
      outputFiles.alertmanagerRoutes,
      toYamlFile(alertmanagerFragment(side), {
        about: 'Flux routes, inhibit rules and receivers to merge into your alertmanager.yml. ' + placeholders,
      }),
    ],
    [
      outputFiles.alertmanagerExample,
      toYamlFile(alertmanagerFile(side), { about: 'A complete alertmanager.yml for Flux alerts. ' + placeholders }),
    ],
    [
      outputFiles.alertmanagerConfig,
      toYamlFile(alertmanagerConfigObject(config, side), {
        about: 'For the Prometheus Operator (AlertmanagerConfig). ' + placeholders,
      }),
    ],
  ]);
}
