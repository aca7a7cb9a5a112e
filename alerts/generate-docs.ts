/** `npm run docs:alerts`: writes the alerts table of docs/alerts.md from the alerts of the default configuration. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../config';
import { panelTitles } from '../dashboards';
import { alertSet, alertsTable, withAlertsTable } from './index';

export const alertsDocPath = fileURLToPath(new URL('../docs/alerts.md', import.meta.url));

/** docs/alerts.md as it should read: its table made from the default configuration's alerts. */
export function currentAlertsDoc(page = readFileSync(alertsDocPath, 'utf8')): string {
  return withAlertsTable(page, alertsTable(alertSet(defaultConfig), panelTitles(defaultConfig)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(alertsDocPath, currentAlertsDoc());
  console.log(`wrote the alerts table of ${alertsDocPath}`);
}
