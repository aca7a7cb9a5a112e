/**
 * An alert as one typed value: its name, severity, how long it must hold, the window its query reads, the query, the
 * panel that shows it and the texts built from those values. Every rule output and the docs are made from it.
 */
import type { Config } from '../config';
import { runbooksDashboard, variableNames, type PanelKey } from '../model';
import type { Query } from '../queries/query';

export type Severity = 'critical' | 'warning' | 'info';

/** A span of time, in whole minutes (every rule is evaluated each minute). */
export interface Duration {
  minutes: number;
}

export const minutes = (count: number): Duration => ({ minutes: count });
export const hours = (count: number): Duration => ({ minutes: count * 60 });

/** `15m`, `24h`, `0m`: as Prometheus and Grafana write a duration. */
export const durationText = ({ minutes: m }: Duration) => (m > 0 && m % 60 === 0 ? `${m / 60}h` : `${m}m`);

/** `15 minutes`, `24 hours`, `1 minute`: the duration in a sentence. */
export function durationWords({ minutes: m }: Duration): string {
  const [count, unit] = m > 0 && m % 60 === 0 ? [m / 60, 'hour'] : [m, 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * What an alert is about: one Flux object read from the readiness metric (`readiness`) or from the controllers' own
 * metrics (`object`), or one controller (`controller`). Alertmanager's routes and inhibit rules are derived from it.
 */
export type AlertSubject = 'readiness' | 'object' | 'controller';

/** An alert's declaration: everything but its runbook link, which the set gives every alert by its name. */
export interface AlertDeclaration {
  name: string;
  severity: Severity;
  /** What it is about; an alert without one is neither inhibited nor inhibits. */
  subject?: AlertSubject;
  /** The subjects whose alerts its cause explains: while it fires in a cluster, theirs there are inhibited. */
  explains?: AlertSubject[];
  /** How long the query must return a series before the alert fires. */
  for: Duration;
  /** The span of data the query reads (rate window, lookback), where it reads one; said in the docs. */
  window?: Duration;
  query: Query;
  /** The dashboard panel that shows the problem (Grafana-managed rules link it). */
  panel: PanelKey;
  /** One plain sentence, no templates: the notification's title and the docs table's meaning. */
  summary: string;
  /** Template naming the object (kind, namespace, name) or controller, and the cluster. */
  description: string;
  dashboardUrl: string;
  /** The runbook as markdown, for an alert with no page of its own under docs/runbooks/. */
  runbook?: string;
}

export interface Alert extends AlertDeclaration {
  /** Where to read what to do: the alert's runbook page. */
  runbookUrl: string;
}

/** The alerts of a configuration, built once: the Prometheus rules and the rules on the controllers' logs. */
export interface AlertSet {
  prometheus: Alert[];
  loki: Alert[];
}

export const everyAlert = (alerts: AlertSet): Alert[] => [...alerts.prometheus, ...alerts.loki];

/**
 * A stable panel id for an alert's runbook in the runbooks dashboard, from its name alone (FNV-1a): the same link
 * on every build and configuration, whatever alerts are added. Ids below 100 are left for the dashboard's own panels.
 */
export function runbookPanelId(alert: string): number {
  let hash = 0x811c9dc5;
  for (const char of alert) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return 100 + (hash % 900_000);
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * The alert's runbook: its page `<alert>.md` under `alerts.runbookBaseUrl` when set, otherwise its panel of the
 * runbooks dashboard the build writes, opened alone in the Grafana at `alerts.grafanaUrl`.
 */
export function runbookUrl(config: Config, alert: string): string {
  const base = config.alerts.runbookBaseUrl;
  if (base) return `${withoutSlash(base)}/${alert}.md`;
  return `${withoutSlash(config.alerts.grafanaUrl)}/d/${runbooksDashboard.uid}?viewPanel=${runbookPanelId(alert)}`;
}

/** Every alert with its runbook link. */
export const withRunbooks = (config: Config, alerts: AlertDeclaration[]): Alert[] =>
  alerts.map((alert) => ({ ...alert, runbookUrl: runbookUrl(config, alert.name) }));

/** `{{ $labels.x }}`: a label of the alert in an annotation. */
export const label = (name: string) => `{{ $labels.${name} }}`;

/** A label value as a URL query value. */
export const urlLabel = (name: string) => `{{ $labels.${name} | urlquery }}`;

export function dashboardUrl(config: Config, uid: string, variables: Array<[string, string]>): string {
  const query = variables.map(([name, value]) => `var-${name}=${value}`).join('&');
  return `${withoutSlash(config.alerts.grafanaUrl)}/d/${uid}?${query}`;
}

export function clusterVariable(config: Config): Array<[string, string]> {
  return config.clusterLabel ? [[variableNames.cluster, urlLabel(config.clusterLabel)]] : [];
}

/** ` in cluster <cluster>`, when there is a cluster label. */
export const inCluster = (config: Config) => (config.clusterLabel ? ` in cluster ${label(config.clusterLabel)}` : '');

export const fluxNamespaceVariable = (config: Config): [string, string] => [
  variableNames.namespace,
  encodeURIComponent(config.namespace),
];
