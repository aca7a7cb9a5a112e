/** The README stays a user's first page: short, the two commands first, and a way to every docs page. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README.md', () => {
  it('is at most 200 lines', () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(200);
  });

  it('opens with the two commands: npm ci && npm run build, then npm test', () => {
    const first = /```sh\n([^]*?)```/.exec(readme)?.[1] ?? '';
    const commands = first.split('\n').filter(Boolean).map((line) => line.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm ci && npm run build', 'npm test']);
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('\n## '));
  });

  it('links to every docs page, the runbooks and CONTRIBUTING.md', () => {
    const pages = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md') && name !== 'README.md');
    const wanted = [...pages.map((name) => `docs/${name}`), 'docs/runbooks/README.md', 'CONTRIBUTING.md'];
    expect(wanted.filter((page) => !readme.includes(`](${page})`))).toEqual([]);
  });
});

describe('docs/README.md', () => {
  it('links to every other docs page and the runbooks', () => {
    const index = readFileSync(join(root, 'docs/README.md'), 'utf8');
    const pages = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md') && name !== 'README.md');
    const wanted = [...pages, 'runbooks/README.md', '../README.md', '../CONTRIBUTING.md'];
    expect(wanted.filter((page) => !index.includes(`](${page})`))).toEqual([]);
  });
});
