/**
 * The TypeScript setup docs/library.md documents, tried as a new user tries it: the packed package installed into a
 * project made by `npm init -y` (npm 11 writes `"type": "commonjs"`), the page's tsconfig.json and its snippet, `tsc`,
 * then `node` on what tsc wrote. The setups the page says work do; the one it warns about fails as it says.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedInFreshProject, run } from '../helpers/consumer';

const repo = resolve(import.meta.dirname, '../..');
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const page = readFileSync(join(repo, 'docs/library.md'), 'utf8');

/** The first fenced block of `language` after `heading` on the page. */
function blockAfter(heading: string, language: string): string {
  const section = page.slice(page.indexOf(`\n${heading}\n`));
  const block = new RegExp('```' + language + '\\n([^]*?)```').exec(section);
  if (!section || !block) throw new Error(`docs/library.md has no ${language} block after "${heading}"`);
  return block[1]!;
}

const snippet = blockAfter('## Extending a dashboard', 'ts');
const tsconfig = blockAfter('`tsconfig.json`:', 'json');

const scratch = mkdtempSync(join(tmpdir(), 'typescript-setup-'));
let tarball: string;
let dependencyTarballs: string[];

beforeAll(async () => {
  ({ tarball } = await installedInFreshProject(scratch));
  // The packed dependencies the installation above used: installed offline, as the registry would serve them.
  const deps = join(scratch, 'deps');
  if (!existsSync(deps)) throw new Error('installedInFreshProject no longer leaves the packed dependencies in deps/');
  dependencyTarballs = readdirSync(deps).map((name) => join(deps, name));
}, 600_000);

/** A new project as `npm init -y` makes it, with the package installed, the page's tsconfig.json and the snippet. */
async function newProject(name: string, file: string, type?: 'module'): Promise<string> {
  const folder = join(scratch, name);
  mkdirSync(folder);
  expect((await run('npm', ['init', '-y'], { cwd: folder })).code).toBe(0);
  if (type) expect((await run('npm', ['pkg', 'set', `type=${type}`], { cwd: folder })).code).toBe(0);
  const offline = ['install', '--offline', '--no-audit', '--no-fund'];
  const install = await run('npm', [...offline, tarball, ...dependencyTarballs], { cwd: folder });
  expect(install.code, install.stderr).toBe(0);
  writeFileSync(join(folder, 'tsconfig.json'), tsconfig);
  writeFileSync(join(folder, file), snippet);
  return folder;
}

const packageType = (folder: string) =>
  (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { type?: string }).type;

describe('the TypeScript setup of docs/library.md in a project made by npm init -y', () => {
  it.each([
    ['"type": "module" and a .ts file', 'dashboards.ts', 'module', 'build/dashboards.js'],
    ['npm init\'s own "type": "commonjs" and a .mts file', 'dashboards.mts', undefined, 'build/dashboards.mjs'],
  ] as const)('%s: tsc compiles the snippet and node runs it', async (name, file, type, output) => {
    const folder = await newProject(name.replace(/\W+/g, '-'), file, type);
    expect(packageType(folder) ?? 'commonjs').toBe(type ?? 'commonjs');
    const compile = await run(process.execPath, [tsc], { cwd: folder });
    expect(compile.stdout).toBe('');
    expect(compile.code).toBe(0);
    const ran = await run(process.execPath, [output], { cwd: folder });
    expect(ran.code, ran.stderr).toBe(0);
    const dashboards = ran.stdout.trim().split(/\n(?=\{)/).map((text) => JSON.parse(text) as { uid: string });
    expect(dashboards.map((dashboard) => dashboard.uid)).toEqual(['flux-control-plane', 'flux-cluster']);
  });

  it('npm init\'s own "type": "commonjs" and a .ts file fails with TS1295, as the page warns', async () => {
    const folder = await newProject('commonjs-ts', 'dashboards.ts');
    expect(packageType(folder) ?? 'commonjs').toBe('commonjs');
    const compile = await run(process.execPath, [tsc], { cwd: folder });
    expect(compile.code).not.toBe(0);
    const errors = compile.stdout.split('\n').filter((line) => line.startsWith('dashboards.ts('));
    expect(errors.length).toBeGreaterThan(0);
    // Every error is the one the page quotes, word for word.
    const quoted = /`(error TS1295: [^`]*)`/.exec(page.replace(/\s*\n\s*/g, ' '))?.[1];
    expect(quoted).toBeDefined();
    for (const line of errors) expect(line).toContain(quoted);
  });
});
