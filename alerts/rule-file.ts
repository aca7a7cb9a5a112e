/** An alert as a Prometheus rule file holds it, which Loki's ruler reads too (with a LogQL expression). */
import { durationText, type Alert } from './alert';

/** Rule group names, the same in the rule files and in Grafana. */
export const ruleGroupNames = { prometheus: 'flux', loki: 'flux-logs', recording: 'flux-recording' } as const;

/** The annotations every output gives an alert (Grafana adds its own). */
export function alertAnnotations(alert: Alert, description = alert.description): Record<string, string> {
  return {
    summary: alert.summary,
    description,
    dashboard_url: alert.dashboardUrl,
    runbook_url: alert.runbookUrl,
  };
}

/** Keys in a fixed order, so the output is the same on every run. */
export function ruleFileRule(alert: Alert) {
  return {
    alert: alert.name,
    expr: alert.query.expr,
    for: durationText(alert.for),
    labels: { severity: alert.severity },
    annotations: alertAnnotations(alert),
  };
}
