/** A rule as a Prometheus rule file holds it, which Loki's ruler reads too (with a LogQL expression). */
import type { AlertRule } from './rules';

/** Rule group names, the same in the rule files and in Grafana. */
export const ruleGroupNames = { prometheus: 'flux', loki: 'flux-logs', recording: 'flux-recording' } as const;

/** Keys in a fixed order, so the output is the same on every run. */
export function ruleFileRule(rule: AlertRule) {
  return {
    alert: rule.alert,
    expr: rule.expr.expr,
    for: rule.for,
    labels: { severity: rule.severity },
    annotations: {
      summary: rule.summary,
      description: rule.description,
      dashboard_url: rule.dashboardUrl,
      ...(rule.runbookUrl ? { runbook_url: rule.runbookUrl } : {}),
    },
  };
}
