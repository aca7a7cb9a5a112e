/** Every source file of the repository stays readable: no line over 120 columns, in every folder. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const maxColumns = 120;
/** What is not source: installed packages, and what the build and the package compile write. */
const notSource = new Set(['node_modules', 'dist', 'lib', '.git']);
const sourceFile = /\.(ts|mts|js|mjs)$/;

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (notSource.has(entry.name)) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return sourceFile.test(entry.name) ? [relative(root, path)] : [];
  });
}

const files = sourcesUnder(root).sort();

/** The lines of `text` over the limit, by number, with their width. */
const longLines = (text: string) =>
  text.split('\n').flatMap((line, index) => {
    const columns = [...line].length;
    return columns > maxColumns ? [`line ${index + 1}: ${columns} columns`] : [];
  });

it('finds the sources of every folder', () => {
  const folders = new Set(files.map((file) => file.split('/')[0]));
  for (const folder of ['alerts', 'bench', 'config', 'dashboards', 'fixtures', 'model', 'panels', 'queries', 'test']) {
    expect(folders, folder).toContain(folder);
  }
  expect(files).toContain('vitest.config.ts');
});

it('the check finds a long line, counting characters, not bytes', () => {
  expect(longLines(`${'x'.repeat(120)}\n${'é'.repeat(120)}\n${'y'.repeat(121)}`)).toEqual(['line 3: 121 columns']);
});

describe.each(files)('%s', (file) => {
  it(`has no line over ${maxColumns} columns`, () => {
    expect(longLines(readFileSync(join(root, file), 'utf8'))).toEqual([]);
  });
});
