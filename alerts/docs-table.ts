/** The alerts table of docs/alerts.md, made from the alerts (`npm run docs` writes it into the page). */
import { linkedPanels, runbookPage, type PanelKey } from '../model';
import { durationText, everyAlert, type AlertSet } from './alert';

/** The table: each alert linking its runbook page, its severity, `for`, meaning and the panel that shows it. */
export function alertsTable(alerts: AlertSet, panelTitles: ReadonlyMap<PanelKey, string>): string {
  const logs = new Set(alerts.loki.map((alert) => alert.name));
  const rows = everyAlert(alerts).map((alert) => {
    const title = panelTitles.get(alert.panel) ?? alert.panel;
    const source = logs.has(alert.name) ? ' (logs)' : '';
    return (
      `| [${alert.name}](runbooks/${runbookPage(alert.name)})${source} | ${alert.severity} | ` +
      `${durationText(alert.for)} | ${alert.summary} | ${linkedPanels[alert.panel].title} › ${title} |`
    );
  });
  return ['| alert | severity | for | what it means | panel |', '|---|---|---|---|---|', ...rows].join('\n');
}
