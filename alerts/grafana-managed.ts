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
import { defaultOrgId, grafanaFolderUid, linkedPanels, type PanelIds } from '../model';
import { durationText, type Alert, type AlertSet } from './alert';
import type { GrafanaRuleGroups } from './provisioning-file';
import { alertAnnotations, ruleGroupNames } from './rule-file';

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

/** `FluxSystemDown` → `flux-system-down`: a stable Grafana rule uid. */
export function ruleUid(alert: string): string {
  const uid = alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  if (uid.length > 40)
    throw new Error(`alert ${alert}: Grafana rule uid ${uid} is longer than 40 characters; shorten the alert name`);
  return uid;
}

/** A folder title as a folder uid (the model's rule, which the v2 dashboards file themselves by too). */
export const folderUidOf = grafanaFolderUid;

/** The id of the alert's panel in the built dashboards; a panel the configuration's dashboards lack is a bug. */
function panelIdOf(alert: Alert, panelIds: PanelIds): number {
  const id = panelIds.get(alert.panel);
  if (id === undefined) {
    throw new Error(
      `alert ${alert.name} links panel ${alert.panel}, which no dashboard of this configuration has ` +
        `(${linkedPanels[alert.panel].uid})`,
    );
  }
  return id;
}

/** Prometheus' `$value` is the value of the expression; in Grafana it is `$values.A.Value`. */
export const grafanaTemplate = (text: string) => text.replace(/\$value\b(?!s)/g, `$values.${queryRef}.Value`);

function datasourceQuery(rule: Alert, uid: string): alerting.QueryBuilder {
  const model =
    rule.query.language === 'promql'
      ? new prometheus.DataqueryBuilder()
          .expr(rule.query.expr)
          .instant()
          .refId(queryRef)
          .datasource({ type: 'prometheus', uid })
      : new loki.DataqueryBuilder()
          .expr(rule.query.expr)
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
  return rule.query.language === 'logql' ? query.queryType('instant') : query;
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

function grafanaRule(alert: Alert, group: string, datasourceUid: string, folderUid: string, panelIds: PanelIds) {
  return (
    new alerting.RuleBuilder(alert.name)
      .uid(ruleUid(alert.name))
      .ruleGroup(group)
      .folderUID(folderUid)
      .orgID(defaultOrgId)
      .queries([datasourceQuery(alert, datasourceUid), conditionQuery()])
      .condition(conditionRef)
      .forDuration(durationText(alert.for))
      // Each query returns a series only for what is wrong, and checks for missing targets itself (FluxSystemDown's
      // absent()): no data is the healthy answer. A failed query is not: Grafana raises a DatasourceError alert.
      .noDataState('OK')
      .execErrState('Error')
      .labels({ severity: alert.severity })
      .annotations({
        ...alertAnnotations(alert, grafanaTemplate(alert.description)),
        __dashboardUid__: linkedPanels[alert.panel].uid,
        __panelId__: String(panelIdOf(alert, panelIds)),
      })
      .isPaused(false)
  );
}

function ruleGroup(title: string, alerts: Alert[], datasourceUid: string, folderUid: string, panelIds: PanelIds) {
  return new alerting.RuleGroupBuilder(title)
    .folderUid(folderUid)
    .interval(evaluationIntervalSeconds)
    .rules(alerts.map((alert) => grafanaRule(alert, title, datasourceUid, folderUid, panelIds)))
    .build();
}

/** The rule groups as plain JSON (built SDK queries carry functions). */
export function grafanaRuleGroups(
  config: Config,
  grafana: GrafanaAlertingConfig,
  alerts: AlertSet,
  panelIds: PanelIds,
): GrafanaRuleGroups {
  const folder = grafana.folder ?? config.packaging.folder;
  const folderUid = folderUidOf(folder);
  const groups = [
    ruleGroup(ruleGroupNames.prometheus, alerts.prometheus, grafana.prometheusDatasourceUid, folderUid, panelIds),
  ];
  if (grafana.lokiDatasourceUid)
    groups.push(ruleGroup(ruleGroupNames.loki, alerts.loki, grafana.lokiDatasourceUid, folderUid, panelIds));
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
