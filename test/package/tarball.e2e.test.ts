/**
 * The package as a user gets it: `npm pack` makes the tarball (compiling lib/ on the way), a fresh project installs
 * it offline (the dependencies packed from this repository's node_modules), and there the command line builds what
 * the repository builds, and the README's library snippet, copied from the README, runs under plain Node and
 * type-checks under `tsc --init`'s defaults (`module: nodenext`) and under `moduleResolution: bundler`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, resolveConfig } from '../../config';
import { renderArtifacts } from '../../build/render';
import { buildManifestFile } from '../../build/folder-ownership';
import { installedInFreshProject, run } from '../helpers/consumer';

const repo = resolve(import.meta.dirname, '..', '..');
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string; version: string; private?: boolean; engines?: Record<string, string>; files: string[];
  bin: Record<string, string>; exports: Record<string, string | { types: string; default: string }>;
};

/** npm's own warnings about this machine's configuration are not the package's. */
const npmProblems = (output: string) =>
  output.split('\n').filter((line) =>
    /^npm (warn|error)/i.test(line) && !/Unknown (user|env) config|requires you to be logged in/.test(line));

/** The README's library snippet: the first `ts` block of its "Using the library" section, verbatim. */
export function readmeSnippet(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Using the library'));
  const block = /```ts\n([^]*?)```/.exec(section);
  if (!block) throw new Error('README.md has no ts block under "## Using the library"');
  return block[1]!;
}

function filesUnder(folder: string, root = folder): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path, root) : [relative(root, path)];
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'package-'));
let consumer: string;
let packed: string[];

beforeAll(async () => {
  ({ folder: consumer, packed } = await installedInFreshProject(scratch));
}, 600_000);

describe('the packed tarball', () => {
  it('holds the compiled modules with declarations for every entry point and the command', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(packed, entry).toContain(target.types.replace(/^\.\//, ''));
      expect(packed, entry).toContain(target.default.replace(/^\.\//, ''));
    }
    expect(packed).toContain(pkg.bin['flux-dashboards']!.replace(/^\.\//, ''));
    const alongside = ['package.json', 'README.md', 'LICENSE', 'config/config.schema.json', 'docs/runbooks/README.md'];
    expect(packed).toEqual(expect.arrayContaining(alongside));
  });

  it('holds no sources, tests, benchmarks, CI, fixtures or examples', () => {
    const foreign = packed.filter((path) =>
      /^(test|bench|\.ci|examples|tools|dist|node_modules)\//.test(path) ||
      /fixtures|\.test\.|(?<!\.d)\.ts$/.test(path));
    expect(foreign).toEqual([]);
  });

  it('is a public package with a version, an engines range, a files list and a bin', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(pkg.engines?.node).toMatch(/^>=\d+/);
    expect(pkg.files.length).toBeGreaterThan(0);
    expect(Object.keys(pkg.bin)).toEqual(['flux-dashboards']);
  });

  it('publishes cleanly (npm publish --dry-run: nothing corrected, nothing warned)', async () => {
    const publish = await run('npm', ['publish', '--dry-run', '--ignore-scripts'], { cwd: repo });
    expect(publish.code, publish.stderr).toBe(0);
    expect(npmProblems(`${publish.stdout}\n${publish.stderr}`)).toEqual([]);
    expect(publish.stderr).toContain(`${pkg.name}@${pkg.version}`);
  });
});

describe('a fresh project with the package installed', () => {
  it('npx flux-dashboards build --config x.yaml --out d writes what the repository builds from x.yaml', async () => {
    const config = 'clusterLabel: k8s_cluster\npackaging:\n  monitoringLabels:\n    release: kube-prometheus-stack\n';
    writeFileSync(join(consumer, 'x.yaml'), config);
    const args = ['--offline', 'flux-dashboards', 'build', '--config', 'x.yaml', '--out', 'd'];
    const build = await run('npx', args, { cwd: consumer });
    expect(build.code, build.stderr).toBe(0);
    const expected = renderArtifacts(resolveConfig(loadConfigFile(join(consumer, 'x.yaml'))));
    const written = filesUnder(join(consumer, 'd')).sort();
    expect(written.join('\n')).toBe([...expected.keys(), buildManifestFile].sort().join('\n'));
    for (const [path, content] of expected) expect(readFileSync(join(consumer, 'd', path), 'utf8'), path).toBe(content);
  });

  it('npx flux-dashboards --version and deploy --help run under plain node', async () => {
    const version = await run('npx', ['--offline', 'flux-dashboards', '--version'], { cwd: consumer });
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(npmProblems(version.stderr)).toEqual([]);
    const help = await run('npx', ['--offline', 'flux-dashboards', 'deploy', '--help'], { cwd: consumer });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: flux-dashboards deploy \[--url URL\]/);
  });

  it("runs the README's library snippet under plain node", async () => {
    writeFileSync(join(consumer, 'snippet.mjs'), readmeSnippet());
    const snippet = await run(process.execPath, ['snippet.mjs'], { cwd: consumer });
    expect(snippet.code, snippet.stderr).toBe(0);
    // Each dashboard it prints is indented JSON: only a dashboard's own braces start a line.
    const dashboards = snippet.stdout.trim().split(/\n(?=\{)/).map((text) => JSON.parse(text) as { uid: string });
    expect(dashboards.length).toBeGreaterThan(0);
    for (const dashboard of dashboards) expect(dashboard.uid).toMatch(/^flux-/);
    expect(snippet.stdout).not.toContain('$cluster');
  });

  it.each([
    ['tsc --init defaults (module nodenext)', {}],
    ['moduleResolution bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])("type-checks the README's snippet, and finds a wrong option, under %s", async (name, options) => {
    const folder = join(consumer, name.replace(/\W+/g, '-'));
    mkdirSync(folder);
    const init = await run(process.execPath, [tsc, '--init'], { cwd: folder });
    expect(init.code, init.stdout).toBe(0);
    const checked = { extends: './tsconfig.json', compilerOptions: options };
    writeFileSync(join(folder, 'tsconfig.checked.json'), JSON.stringify(checked));
    writeFileSync(join(folder, 'snippet.ts'), readmeSnippet());
    const clean = await run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.checked.json'], { cwd: folder });
    expect(clean.stdout).toBe('');
    expect(clean.code).toBe(0);
    // The declarations give real types, not `any`: a misspelt flavour is a type error.
    const wrongFlavour = [
      "import { resolveConfig } from 'flux-dashboards/config';",
      "resolveConfig({ flavor: 'legcy' });",
      '',
    ];
    writeFileSync(join(folder, 'wrong.ts'), wrongFlavour.join('\n'));
    const wrong = await run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.checked.json'], { cwd: folder });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts\(2,\d+\): error TS(2322|2820): Type '"legcy"' is not assignable/);
  });
});
