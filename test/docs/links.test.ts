/**
 * The docs lead somewhere: every relative link in README.md, CONTRIBUTING.md and docs/ names a file of this
 * repository that exists (and a heading of it that exists), and no file of the repository points outside it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function filesUnder(folder: string, skip: Set<string>): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (skip.has(relative(root, path))) return [];
    return statSync(path).isDirectory() ? filesUnder(path, skip) : [path];
  });
}

const pages = [
  join(root, 'README.md'),
  ...['CONTRIBUTING.md'].map((page) => join(root, page)).filter(existsSync),
  ...filesUnder(join(root, 'docs'), new Set()).filter((path) => path.endsWith('.md')),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function anchorsOf(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/```[^]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1]!)));
}

/** Markdown links outside code: `[text](target)`, with their line. */
function linksOf(page: string): Array<{ target: string; line: number }> {
  const lines = readFileSync(page, 'utf8').split('\n');
  let inCode = false;
  return lines.flatMap((line, index) => {
    if (line.trimStart().startsWith('```')) inCode = !inCode;
    if (inCode) return [];
    const prose = line.replace(/`[^`]*`/g, '');
    return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => ({ target: match[1]!, line: index + 1 }));
  });
}

describe.each(pages.map((page) => [relative(root, page), page]))('%s', (_, page) => {
  it('links only to files of this repository that exist, and to headings they have', () => {
    const broken: string[] = [];
    for (const { target, line } of linksOf(page)) {
      if (/^(https?|mailto):/.test(target)) continue;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path ? resolve(dirname(page), path) : page;
      const where = `line ${line}: ${target}`;
      if (relative(root, file).startsWith('..')) broken.push(`${where} leaves the repository`);
      else if (!existsSync(file)) broken.push(`${where} does not exist`);
      else if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor)) broken.push(`${where}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});

describe('the repository', () => {
  it('names no file outside it: no research notes, no absolute paths of this machine', () => {
    const skip = new Set(['node_modules', '.git', 'lib']);
    // Spelt in parts, so that this file does not itself hold the names it looks for.
    const notes = ['FLUX', 'GRAFANA'].map((name) => `${name}-FACTS`);
    const outside = new RegExp([...notes, '/work/(shared|wt|main)\\b'].join('|'));
    const offenders = filesUnder(root, skip)
      .filter((path) => statSync(path).size < 5_000_000)
      .filter((path) => outside.test(readFileSync(path, 'utf8')))
      .map((path) => relative(root, path));
    expect(offenders).toEqual([]);
  });
});
