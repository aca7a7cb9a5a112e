/** The panel, dashboard and output-writing files stay readable: no line over 120 columns. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const maxColumns = 120;
const files = ['panels', 'dashboards', 'output', 'scrape', 'packaging', 'scripts'].flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `${folder}/${file}`),
);

describe.each(files)('%s', (file) => {
  it(`has no line over ${maxColumns} columns`, () => {
    const long = readFileSync(join(root, file), 'utf8')
      .split('\n')
      .flatMap((line, index) => ([...line].length > maxColumns ? [`line ${index + 1}: ${[...line].length} columns`] : []));
    expect(long).toEqual([]);
  });
});
