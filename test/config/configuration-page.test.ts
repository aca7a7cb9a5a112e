/** docs/configuration.md: its options table is what the schema and defaults make, its error lines the build's. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../config';
import { optionsTable } from '../../config/options-table';

const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const between = (start: string, end: string) =>
  page.slice(page.indexOf(start) + start.length, page.indexOf(end)).trim();

describe('docs/configuration.md', () => {
  it('lists every option of the schema, nested ones included', () => {
    const options = [...optionsTable().matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    for (const option of ['flavor', 'clusterLabel', 'loki.preset', 'packaging.monitoringLabels',
      'packaging.dashboardLabel.key', 'alerts.grafana', 'alerts.grafana.prometheusDatasourceUid', 'recordingRules']) {
      expect(options).toContain(option);
    }
    expect(new Set(options).size).toBe(options.length);
  });

  const rows = between('<!-- config-errors: each line is checked by a test -->', '<!-- /config-errors -->')
    .split('\n')
    .slice(2)
    .map((row) => /^\| `(.+?)` \| `(.+)` \|$/.exec(row));

  it('has example error lines', () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(row).not.toBeNull();
  });

  const examples = rows.map((row) => [row![1]!, row![2]!]);
  it.each(examples)('%s: the build says exactly the line the page shows', (yaml, line) => {
    let message: string | undefined;
    try {
      parseConfig(yaml, 'flux.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(`error: ${message}`).toBe(line);
  });
});
