/**
 * The alert rules as Grafana-managed rules, built with the foundation SDK's alerting builders from the same rules as
 * the Prometheus and Loki rule files: one rule group per datasource, each rule querying its expression (A) and firing,
 * like Prometheus, for every series the expression returns (B).
 */
import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { ConfigError, type Config, type GrafanaAlertingConfig } from '../config';
import { alertPanels, type AlertPanel } from './dashboard-panels';
import { logAlertRules } from './loki-rules';
import { ruleGroupNames } from './rule-file';
import { alertRules, type AlertRule } from './rules';

/** What the rules need of a built dashboard: its uid and its panels (rows hold theirs in `panels`). */
export interface DashboardPanels {
  uid: string;
  panels?: PanelLike[];
}
interface PanelLike {
  id?: number;
  title?: string;
  type: string;
  panels?: PanelLike[];
}

export const queryRef = 'A';
export const conditionRef = 'B';
/** Grafana's server-side expressions are a datasource of their own. */
export const expressionDatasource = { type: '__expr__', uid: '__expr__' } as const;
/**
 * True for every series A returns, whatever its value: a Prometheus alert fires for each series its expression
 * returns, and a comparison such as `max(up) == 0` returns 0, so a threshold on the value would miss it.
 */
export const seriesExistsCondition = `is_number($${queryRef}) || is_nan($${queryRef}) || is_inf($${queryRef})`;
/** Rules are evaluated every minute, like Prometheus' default evaluation interval; every `for` is a multiple of it. */
export const evaluationIntervalSeconds = 60;
/** Instant queries evaluate at the end of the range; the range only bounds what Grafana asks for. */
const relativeTimeRange = { from: 600, to: 0 };
export const defaultOrgId = 1;

export interface GrafanaRuleGroups {
  /** Title of the Grafana folder the groups go in. */
  folder: string;
  /** uid given to that folder where the output creates it (grafana-operator); `deploy` uses the folder it finds. */
  folderUid: string;
  groups: alerting.RuleGroup[];
}

/** `FluxSystemDown` → `flux-system-down`: a stable Grafana rule uid. */
export function ruleUid(alert: string): string {
  const uid = alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  if (uid.length > 40)
    throw new Error(`alert ${alert}: Grafana rule uid ${uid} is longer than 40 characters; shorten the alert name`);
  return uid;
}

/** A folder title as a folder uid: lower-case letters, digits and `-`. */
export const folderUidOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'flux';

function findPanel(dashboards: DashboardPanels[], alert: string, wanted: AlertPanel): number {
  const dashboard = dashboards.find((d) => d.uid === wanted.dashboard);
  if (!dashboard) throw new Error(`alert ${alert}: no built dashboard has uid ${wanted.dashboard}`);
  const flat = (panels: PanelLike[]): PanelLike[] => panels.flatMap((panel) => [panel, ...flat(panel.panels ?? [])]);
  const matches = flat(dashboard.panels ?? []).filter(
    (p) => p.title === wanted.title && (!wanted.type || p.type === wanted.type),
  );
  if (matches.length !== 1 || matches[0]!.id === undefined) {
    throw new Error(
      `alert ${alert}: ${matches.length} panels of ${wanted.dashboard} are titled "${wanted.title}"; ` +
        'alerts/dashboard-panels.ts must name exactly one',
    );
  }
  return matches[0]!.id!;
}

/** Prometheus' `$value` is the value of the expression; in Grafana it is `$values.A.Value`. */
export const grafanaTemplate = (text: string) => text.replace(/\$value\b(?!s)/g, `$values.${queryRef}.Value`);

function datasourceQuery(rule: AlertRule, uid: string): alerting.QueryBuilder {
  const model =
    rule.expr.language === 'promql'
      ? new prometheus.DataqueryBuilder()
          .expr(rule.expr.expr)
          .instant()
          .refId(queryRef)
          .datasource({ type: 'prometheus', uid })
      : new loki.DataqueryBuilder()
          .expr(rule.expr.expr)
          .instant(true)
          .range(false)
          .queryType('instant')
          .refId(queryRef)
          .datasource({ type: 'loki', uid });
  const query = new alerting.QueryBuilder(queryRef)
    .datasourceUid(uid)
    .relativeTimeRange(relativeTimeRange)
    .model(model);
  // Grafana copies the model's queryType onto the query when it saves it: say it ourselves, so copies compare equal.
  return rule.expr.language === 'logql' ? query.queryType('instant') : query;
}

function conditionQuery(): alerting.QueryBuilder {
  const model = new expr.TypeMathBuilder()
    .expression(seriesExistsCondition)
    .refId(conditionRef)
    .datasource(expressionDatasource);
  return new alerting.QueryBuilder(conditionRef)
    .datasourceUid(expressionDatasource.uid)
    .relativeTimeRange({ from: 0, to: 0 })
    .model(model);
}

function grafanaRule(
  rule: AlertRule,
  group: string,
  datasourceUid: string,
  folderUid: string,
  dashboards: DashboardPanels[],
) {
  const panel = alertPanels[rule.alert];
  if (!panel) throw new Error(`alert ${rule.alert} names no dashboard panel: add it to alerts/dashboard-panels.ts`);
  return (
    new alerting.RuleBuilder(rule.alert)
      .uid(ruleUid(rule.alert))
      .ruleGroup(group)
      .folderUID(folderUid)
      .orgID(defaultOrgId)
      .queries([datasourceQuery(rule, datasourceUid), conditionQuery()])
      .condition(conditionRef)
      .forDuration(rule.for)
      // Each query returns a series only for what is wrong, and checks for missing targets itself (FluxSystemDown's
      // absent()): no data is the healthy answer. A failed query is not: Grafana raises a DatasourceError alert.
      .noDataState('OK')
      .execErrState('Error')
      .labels({ severity: rule.severity })
      .annotations({
        summary: rule.summary,
        description: grafanaTemplate(rule.description),
        dashboard_url: rule.dashboardUrl,
        ...(rule.runbookUrl ? { runbook_url: rule.runbookUrl } : {}),
        __dashboardUid__: panel.dashboard,
        __panelId__: String(findPanel(dashboards, rule.alert, panel)),
      })
      .isPaused(false)
  );
}


function ruleGroup(
  title: string,
  rules: AlertRule[],
  datasourceUid: string,
  folderUid: string,
  dashboards: DashboardPanels[],
) {
  return new alerting.RuleGroupBuilder(title)
    .folderUid(folderUid)
    .interval(evaluationIntervalSeconds)
    .rules(rules.map((rule) => grafanaRule(rule, title, datasourceUid, folderUid, dashboards)))
    .build();
}

/** The rule groups as plain JSON (built SDK queries carry functions). */
export function grafanaRuleGroups(
  config: Config,
  grafana: GrafanaAlertingConfig,
  dashboards: DashboardPanels[],
): GrafanaRuleGroups {
  const folder = grafana.folder ?? config.packaging.folder;
  const folderUid = folderUidOf(folder);
  const groups = [
    ruleGroup(ruleGroupNames.prometheus, alertRules(config), grafana.prometheusDatasourceUid, folderUid, dashboards),
  ];
  if (grafana.lokiDatasourceUid)
    groups.push(
      ruleGroup(ruleGroupNames.loki, logAlertRules(config), grafana.lokiDatasourceUid, folderUid, dashboards),
    );
  return { folder, folderUid, groups: JSON.parse(JSON.stringify(groups)) as alerting.RuleGroup[] };
}

/** The configured Grafana-managed rules, or a one-line refusal when they are on without a datasource uid. */
export function grafanaAlertingOf(config: Config): GrafanaAlertingConfig | null {
  const grafana = config.alerts.grafana;
  if (grafana && !grafana.prometheusDatasourceUid) {
    throw new ConfigError(
      'alerts.grafana.prometheusDatasourceUid is empty: Grafana-managed rules query a datasource by uid ' +
        '(Connections → Data sources → the datasource, last part of its URL); set it, or set alerts.grafana: null',
    );
  }
  return grafana;
}
