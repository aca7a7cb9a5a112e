/**
 * The alerts' docs: the alerts table of docs/alerts.md (kept current by test/docs/generated.test.ts) changes when an
 * alert does, and lists every alert any configuration raises.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertSet, alertsTable, everyAlert } from '../../alerts';
import { resolveConfig } from '../../config';
import { panelTitles } from '../../dashboards';
import { blockIn } from '../../docs/generate';
import { configMatrix } from '../configs';

const page = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8');
const table = blockIn(page, 'alerts') ?? '';

describe('docs/alerts.md', () => {
  it('holds a generated alerts table', () => {
    expect(table).toMatch(/^\| alert \| severity \| for \|/);
  });

  it('would be rewritten when an alert changes', () => {
    const config = resolveConfig({});
    const alerts = alertSet(config);
    const changed = { ...alerts, prometheus: alerts.prometheus.map((a) => ({ ...a, severity: 'info' as const })) };
    expect(`${alertsTable(changed, panelTitles(config))}\n`).not.toBe(table);
  });

  it('lists every alert some configuration raises', () => {
    const names = new Set(configMatrix.flatMap(({ config }) => everyAlert(alertSet(config)).map((a) => a.name)));
    for (const name of names) expect(table, name).toContain(`| [${name}](runbooks/${name}.md)`);
  });
});
