/** The alerts table of docs/alerts.md, made from the alerts; a test checks that the page holds the current one. */
import { linkedPanels, runbookPage, type PanelKey } from '../model';
import { durationText, everyAlert, type AlertSet } from './alert';

const start = '<!-- alerts-table -->';
const end = '<!-- /alerts-table -->';

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

/** The table between its markers, as the page holds it. */
export const alertsTableBlock = (table: string) => `${start}\n${table}\n${end}`;

/** The page with its table block replaced by the table; a page without the markers is refused. */
export function withAlertsTable(page: string, table: string): string {
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the page lacks the ${start} … ${end} markers of the alerts table`);
  return `${page.slice(0, from)}${alertsTableBlock(table)}${page.slice(to + end.length)}`;
}
