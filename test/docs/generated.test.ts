/**
 * Every table in the docs that lists code is what `npm run docs` makes from the code today, and says what the code
 * says when read on its own: the panels of every built dashboard, the API versions by Flux release.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fluxReleases, resolveConfig, type FluxRelease } from '../../config';
import { buildDashboards } from '../../dashboards';
import { kindApisOf } from '../../model';
import {
  blockIn, generatedBlocks, panelsOf, repositoryRoot, writeGeneratedBlocks, type GeneratedBlock,
} from '../../docs/generate';

const pageText = (page: string) => readFileSync(join(repositoryRoot, page), 'utf8');
/** The cells of a markdown table's rows, header first (the separator line left out). */
const rowsOf = (block: string) =>
  block.trim().split('\n').filter((line) => !/^\|( *-+ *\|)+$/.test(line))
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));

describe.each(generatedBlocks.map((block) => [`${block.page} ${block.name}`, block] as const))('%s', (_, block) => {
  it('is what `npm run docs` makes from the code (run it after changing the code)', () => {
    expect(blockIn(pageText(block.page), block.name)).toBe(`${block.render()}\n`);
  });
});

describe('the panels tables', () => {
  const tables = [
    ['panels-flux-control-plane', {}],
    ['panels-flux-cluster', {}],
    ['panels-flux-logs', {}],
    ['panels-flux-object', {}],
    ['panels-flux-cluster-flux-operator', { flavor: 'flux-operator' }],
  ] as const;

  it.each(tables)('%s lists every panel of the built dashboard, in order, with its type', (name, input) => {
    const block = generatedBlocks.find((candidate) => candidate.name === name)!;
    const uid = name.replace(/^panels-/, '').replace(/-flux-operator$/, '');
    const dashboard = buildDashboards(resolveConfig(input)).find((candidate) => candidate.uid === uid)!;
    const rows = rowsOf(blockIn(pageText(block.page), name) ?? '').slice(1);
    const panels = panelsOf(dashboard);
    expect(rows.map((row) => [row[0], row[1]])).toEqual(panels.map(({ panel }) => [panel.title, panel.type]));
    for (const row of rows) expect(row[3], row[0]).not.toBe('');
  });
});

describe('the Flux releases table', () => {
  const block = generatedBlocks.find((candidate) => candidate.name === 'flux-releases')!;
  const rows = rowsOf(blockIn(pageText(block.page), block.name) ?? '');
  const columns = rows[0]!.slice(1);

  /** `2.4–2.5` → 2.4, 2.5; `2.6` → 2.6. */
  function releasesIn(column: string): FluxRelease[] {
    const [first, last = first] = column.split('–') as [FluxRelease, FluxRelease?];
    return fluxReleases.slice(fluxReleases.indexOf(first), fluxReleases.indexOf(last!) + 1);
  }

  it('has a column for every release, once, in order', () => {
    expect(columns.flatMap(releasesIn)).toEqual([...fluxReleases]);
  });

  it('says what the model says, cell by cell', () => {
    const rowName = ({ kind, group }: { kind: string; group: string }) =>
      `${kind} (${group.replace('.toolkit.fluxcd.io', '')})`;
    const every = new Set(fluxReleases.flatMap((release) => kindApisOf(release).map(rowName)));
    expect(rows.slice(1).map((row) => row[0]).sort()).toEqual([...every].sort());
    for (const row of rows.slice(1)) {
      const kind = row[0]!.split(' ')[0]!;
      columns.forEach((column, index) => {
        for (const release of releasesIn(column)) {
          const api = kindApisOf(release).find((candidate) => candidate.kind === kind);
          expect(row[index + 1], `${kind} in ${release}`).toBe(api?.version ?? '–');
        }
      });
    }
  });
});

describe('npm run docs', () => {
  const block: GeneratedBlock = { page: 'page.md', name: 'example', render: () => '| a |\n| --- |\n| 1 |' };

  it('rewrites a stale block between its markers and leaves the rest of the page alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'docs-'));
    const stale = 'before\n<!-- generated example -->\n| old |\n<!-- /generated example -->\nafter\n';
    writeFileSync(join(root, 'page.md'), stale);
    expect(writeGeneratedBlocks(root, [block])).toEqual(['page.md']);
    expect(readFileSync(join(root, 'page.md'), 'utf8'))
      .toBe('before\n<!-- generated example -->\n| a |\n| --- |\n| 1 |\n<!-- /generated example -->\nafter\n');
    expect(writeGeneratedBlocks(root, [block])).toEqual([]);
  });

  it('names the page whose markers are missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'docs-'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub/page.md'), 'no markers\n');
    expect(() => writeGeneratedBlocks(root, [{ ...block, page: 'sub/page.md' }]))
      .toThrow('sub/page.md has no "<!-- generated example -->"');
  });
});
