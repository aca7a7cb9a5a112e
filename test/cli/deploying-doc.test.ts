/** docs/deploying.md shows each command's `--help` as the code prints it, and names every variable the code reads. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildUsage } from '../../build/command';
import { debugVariable } from '../../cli/command';
import { deployUsage } from '../../deploy/command';
import { blockAfter } from '../helpers/doc-blocks';

const doc = readFileSync(join(import.meta.dirname, '../../docs/deploying.md'), 'utf8');

describe('docs/deploying.md', () => {
  it.each([
    ['flux-dashboards build', buildUsage],
    ['flux-dashboards deploy', deployUsage],
  ])('shows `%s --help` exactly', (program, usage) => {
    expect(blockAfter(doc, `usage: ${program}`)).toBe(usage(program));
  });

  it('names every environment variable the commands read', () => {
    for (const name of ['GRAFANA_URL', 'GRAFANA_TOKEN', 'GRAFANA_USER', 'GRAFANA_PASSWORD', debugVariable]) {
      expect(doc).toContain(`\`${name}\``);
    }
  });

  it('tells a clone to use the npm scripts, which exist', () => {
    const scripts = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }).scripts;
    expect(doc).toContain('| a clone of this repository | `npm run build --` | `npm run deploy --` |');
    expect(scripts.build).toMatch(/ build$/);
    expect(scripts.deploy).toMatch(/ deploy$/);
  });
});
