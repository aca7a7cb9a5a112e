/**
 * The alerts' docs: docs/alerts.md holds the table the alerts' code makes (`npm run docs:alerts` rewrites it), lists
 * every alert any configuration raises, and the alert docs point only at what the repository carries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertSet, alertsTable, everyAlert, withAlertsTable } from '../../alerts';
import { alertsDocPath, currentAlertsDoc } from '../../alerts/generate-docs';
import { resolveConfig } from '../../config';
import { panelTitles } from '../../dashboards';
import { configMatrix } from '../configs';

const repo = join(import.meta.dirname, '../..');
const page = readFileSync(alertsDocPath, 'utf8');

describe('docs/alerts.md', () => {
  it('holds the alerts table the code makes (run `npm run docs:alerts` to rewrite it)', () => {
    expect(page).toBe(currentAlertsDoc(page));
  });

  it('would be rewritten when an alert changes', () => {
    const config = resolveConfig({});
    const alerts = alertSet(config);
    const changed = { ...alerts, prometheus: alerts.prometheus.map((a) => ({ ...a, severity: 'info' as const })) };
    expect(withAlertsTable(page, alertsTable(changed, panelTitles(config)))).not.toBe(page);
  });

  it('lists every alert some configuration raises', () => {
    const names = new Set(configMatrix.flatMap(({ config }) => everyAlert(alertSet(config)).map((a) => a.name)));
    for (const name of names) expect(page, name).toContain(`| [${name}](runbooks/${name}.md)`);
  });

  it('refuses a page without the table markers', () => {
    expect(() => withAlertsTable('# Alerts\n', '| a |')).toThrow(/lacks the <!-- alerts-table -->/);
  });
});
