/**
 * `flux-dashboards build` in its own process, as a user runs it: help and version, and the output folder rules. The
 * build writes every file it makes and owns nothing else: a user's file is never overwritten or deleted, files of an
 * earlier build of ours that this one no longer makes are removed, and a bad output path is one line, exit code 2,
 * and nothing written.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { renderArtifacts } from '../../build/render';
import { buildManifestFile, configFingerprint } from '../../build/folder-ownership';
import { testRootVariable } from '../global-setup';

const repo = resolve(import.meta.dirname, '../..');
/** tsx's loader by its path: the command runs from folders outside the repository. */
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const scratch = mkdtempSync(join(tmpdir(), 'cli-build-'));
chmodSync(scratch, 0o755);
let folders = 0;
const freshFolder = (name: string) => {
  const folder = join(scratch, `${++folders}-${name}`);
  mkdirSync(folder);
  return folder;
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The command from the sources, or from `bundle`; a hang (as `mkdir -p /proc/x` once did) fails here instead of
 * blocking the run.
 */
function cli(args: string[], options: ExecFileOptions = {}, bundle?: string): Promise<Run> {
  return new Promise((done) => {
    const command = bundle ? [bundle, ...args] : ['--import', tsxLoader, join(repo, 'cli/main.ts'), ...args];
    const settings = { cwd: scratch, encoding: 'utf8' as const, timeout: 60_000, ...options };
    execFile(process.execPath, command, settings, (error, stdout, stderr) => {
      expect(error?.killed ?? false, 'the command ran to its end').toBe(false);
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ status, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The command bundled into one file in the run's scratch folder, beside the schema it reads: another user can run it
 * wherever the checkout lies (a 0700 home folder, say), where the repository's node_modules are not theirs to read.
 */
function bundledCommand(): string {
  const file = join(scratch, 'flux-dashboards.mjs');
  esbuild.buildSync({
    entryPoints: [join(repo, 'cli/main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The bundled CommonJS dependencies call require() for Node's own modules.
    banner: {
      js: "import { createRequire as requireOf } from 'node:module'; const require = requireOf(import.meta.url);",
    },
    logLevel: 'silent',
  });
  copyFileSync(join(repo, 'config/config.schema.json'), join(scratch, 'config.schema.json'));
  return file;
}

/** Every file under the folder, hidden ones included, with its bytes. */
function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        files.set(`${relative(folder, path)}/`, '');
        walk(path);
      } else files.set(relative(folder, path), readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(folder)) walk(folder);
  return files;
}

/** Bad input: exit code 2, exactly one line on stderr starting with `error:`, no stack trace, nothing on stdout. */
function expectOneLineError(run: Run, message: string | RegExp) {
  expect(run.status, run.stderr).toBe(2);
  const lines = run.stderr.split('\n').filter((line) => line.trim());
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  if (typeof message === 'string') expect(lines[0]).toContain(message);
  else expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
}

const defaults = renderArtifacts(resolveConfig());
const legacy = renderArtifacts(resolveConfig({ flavor: 'legacy' }));

/** What the build makes, with the manifest naming it. */
function builtFiles(artifacts: Map<string, string>): string[] {
  return [...artifacts.keys(), buildManifestFile].sort();
}

it("keeps the run's temporary folders under its one root, which the run removes (test/global-setup.ts)", () => {
  const root = process.env[testRootVariable];
  expect(root).toBeDefined();
  expect(tmpdir()).toBe(root);
  expect(scratch.startsWith(`${root}/`)).toBe(true);
});

describe.concurrent('help and version', () => {
  it.each([
    [['--help'], /^usage: flux-dashboards <command>/],
    [['build', '--help'], /^usage: flux-dashboards build \[--config FILE.yaml\|FILE.json\] \[--out DIR\]/],
    [['deploy', '--help'], /^usage: flux-dashboards deploy \[--url URL\] \[--config FILE\]/],
  ])('%j prints the usage on stdout and exits 0', async (args, usage) => {
    const run = await cli(args);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(usage);
    expect(run.stderr).toBe('');
    expect(readdirSync(scratch).filter((name) => !/^\d+-/.test(name))).toEqual([]);
  });

  it('--version prints the package version', async () => {
    const run = await cli(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });

  it.each([[[]], [['biuld']]])('%j is a usage error', async (args) => {
    const usage = /^error: (no command given|unknown command biuld); usage: flux-dashboards <command>/;
    expectOneLineError(await cli(args), usage);
  });
});

describe.concurrent('flux-dashboards build --out', () => {
  it('writes exactly the files the build renders, and a manifest of them', async () => {
    const out = join(freshFolder('fresh'), 'out');
    const run = await cli(['build', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`wrote ${defaults.size} files to ${out}\n`);
    const written = snapshot(out);
    for (const [path, content] of defaults) expect(written.get(path), path).toBe(content);
    expect([...written.keys()].filter((path) => !path.endsWith('/')).sort()).toEqual(builtFiles(defaults));
    const manifest = JSON.parse(written.get(buildManifestFile)!) as unknown;
    const config = configFingerprint(resolveConfig());
    expect(manifest).toEqual({ generator: 'flux-dashboards', config, files: [...defaults.keys()].sort() });
  });

  it('keeps a file of the user in a folder the build writes to', async () => {
    const out = freshFolder('user-file');
    mkdirSync(join(out, 'kubernetes'));
    writeFileSync(join(out, 'kubernetes', 'my-app.yaml'), 'kind: ConfigMap # mine\n');
    writeFileSync(join(out, 'notes.txt'), 'mine too\n');
    for (const round of [1, 2]) {
      const run = await cli(['build', '--out', out]);
      expect(run.status, `round ${round}: ${run.stderr}`).toBe(0);
      expect(readFileSync(join(out, 'kubernetes', 'my-app.yaml'), 'utf8')).toBe('kind: ConfigMap # mine\n');
      expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine too\n');
      const podMonitor = readFileSync(join(out, 'kubernetes', 'podmonitor.yaml'), 'utf8');
      expect(podMonitor).toBe(defaults.get('kubernetes/podmonitor.yaml'));
    }
  });

  it('removes the files of its earlier build that this one no longer makes, and only those', async () => {
    const out = freshFolder('stale');
    const other = freshFolder('stale-kept');
    expect((await cli(['build', '--out', out])).status).toBe(0);
    expect((await cli(['build', '--out', other])).status).toBe(0);
    writeFileSync(join(other, 'kube-state-metrics', 'extra-values.yaml'), 'mine\n');
    const config = join(freshFolder('legacy-config'), 'legacy.yaml');
    writeFileSync(config, 'flavor: legacy\n');
    for (const folder of [out, other]) {
      expect((await cli(['build', '--config', config, '--out', folder])).status).toBe(0);
    }

    expect(existsSync(join(out, 'kube-state-metrics'))).toBe(false);
    expect([...snapshot(out).keys()].filter((path) => !path.endsWith('/')).sort()).toEqual(builtFiles(legacy));
    expect(readdirSync(join(other, 'kube-state-metrics'))).toEqual(['extra-values.yaml']);
    expect(JSON.parse(readFileSync(join(other, buildManifestFile), 'utf8')).files).toEqual([...legacy.keys()].sort());
  });

  it('takes over a folder built before the manifest existed when its files hold our bytes', async () => {
    const out = freshFolder('unmanaged-same');
    for (const [path, content] of defaults) {
      mkdirSync(join(out, path, '..'), { recursive: true });
      writeFileSync(join(out, path), content);
    }
    const run = await cli(['build', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(out, buildManifestFile))).toBe(true);
  });

  const cases: Array<[string, () => { args: string[]; watch: string }, string | RegExp]> = [
    [
      'a file of the user where the build writes one',
      () => {
        const out = freshFolder('conflict');
        mkdirSync(join(out, 'grafana'));
        writeFileSync(join(out, 'grafana', 'flux-cluster.json'), '{"mine": true}\n');
        return { args: ['--out', out], watch: out };
      },
      /flux-cluster\.json exists and was not written by flux-dashboards: move it away, or choose another --out$/,
    ],
    [
      'a file where the build needs a folder',
      () => {
        const out = freshFolder('file-for-folder');
        writeFileSync(join(out, 'grafana'), 'mine\n');
        return { args: ['--out', out], watch: out };
      },
      /grafana is a file where the build needs a folder: move it away, or choose another --out$/,
    ],
    [
      'a manifest that is not ours',
      () => {
        const out = freshFolder('bad-manifest');
        writeFileSync(join(out, buildManifestFile), '{"files": ["../../etc/passwd"]}\n');
        return { args: ['--out', out], watch: out };
      },
      `${buildManifestFile} is not a manifest of flux-dashboards: move it away, or choose another --out`,
    ],
    [
      'an existing file',
      () => {
        const parent = freshFolder('existing-file');
        writeFileSync(join(parent, 'out.txt'), 'mine\n');
        return { args: ['--out', join(parent, 'out.txt')], watch: parent };
      },
      /out\.txt is a file, not a folder: choose a folder for --out$/,
    ],
    [
      'an empty --out',
      () => ({ args: ['--out', ''], watch: freshFolder('empty-out') }),
      'error: --out is empty: give --out DIR; usage: flux-dashboards build',
    ],
    [
      '/dev/null',
      () => ({ args: ['--out', '/dev/null'], watch: freshFolder('dev-null') }),
      'error: /dev/null is a device, not a folder',
    ],
    [
      'a path under /proc',
      () => ({ args: ['--out', '/proc/flux-dashboards-test'], watch: freshFolder('proc') }),
      'error: /proc/flux-dashboards-test is under /proc, a kernel file system: choose a folder on disk for --out',
    ],
    [
      'a path under /sys',
      () => ({ args: ['--out', '/sys/flux-dashboards-test/out'], watch: freshFolder('sys') }),
      'error: /sys/flux-dashboards-test/out is under /sys, a kernel file system',
    ],
  ];

  it.each(cases)('%s: one line, exit code 2, nothing changed', async (_name, prepare, message) => {
    const { args, watch } = prepare();
    const before = snapshot(watch);
    // Run from inside the watched folder, so that anything written relative to it would show.
    expectOneLineError(await cli(['build', ...args], { cwd: watch }), message);
    expect(snapshot(watch)).toEqual(before);
    expect(existsSync('/proc/flux-dashboards-test')).toBe(false);
    expect(existsSync('/sys/flux-dashboards-test')).toBe(false);
  });

  it('a read-only parent: one line, exit code 2, nothing written', async () => {
    const parent = freshFolder('read-only');
    chmodSync(parent, 0o555);
    // root writes through file modes: run the command as an unprivileged user, as it would meet a read-only folder.
    const asRoot = process.getuid?.() === 0;
    const home = freshFolder('unprivileged-home');
    if (asRoot) chownSync(home, 65534, 65534);
    const nobody = { uid: 65534, gid: 65534, env: { ...process.env, TMPDIR: home, HOME: home } };
    const unprivileged: ExecFileOptions = asRoot ? nobody : {};
    const args = ['build', '--out', join(parent, 'out')];
    const run = await cli(args, { ...unprivileged, cwd: home }, asRoot ? bundledCommand() : undefined);
    expectOneLineError(run, /cannot create .*read-only\/out: .*read-only is read-only for you$/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a bad configuration: one line, exit code 2, the output folder untouched', async () => {
    const out = freshFolder('bad-config');
    const config = join(freshFolder('legcy-config'), 'legcy.yaml');
    writeFileSync(config, 'flavor: legcy\n');
    const message = 'legcy.yaml: flavor is "legcy"; allowed: "kube-state-metrics", "legacy" or "flux-operator"';
    expectOneLineError(await cli(['build', '--config', config, '--out', out]), message);
    expect(readdirSync(out)).toEqual([]);
  });
});
