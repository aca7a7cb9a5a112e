/**
 * `flux-dashboards build` in-process: the output folder and its missing parents are created as build tools do, and
 * what must not be written to, or was not asked for, is one line, exit code 2, and nothing written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuildCli } from '../../build/command';
import { buildManifestFile, OutputError } from '../../build/folder-ownership';
import {
  errorLine,
  exitCodes,
  invocationOf,
  packageInvocation,
  repositoryInvocation,
  UsageError,
  type Invocation,
} from '../../cli/command';
import * as deployEntry from '../../deploy';

const scratch = () => mkdtempSync(join(tmpdir(), 'build-command-'));

async function build(args: string[], invocation: Invocation = packageInvocation) {
  const result = { code: -1, out: [] as string[], err: [] as string[] };
  const io = { out: (line: string) => result.out.push(line), err: (line: string) => result.err.push(line) };
  result.code = await runBuildCli(args, io, invocation, {});
  return result;
}

/** Bad input: exit code 2 and one line naming the problem. */
function expectRefused(result: Awaited<ReturnType<typeof build>>, message: string | RegExp) {
  expect(result.code).toBe(2);
  expect(result.out).toEqual([]);
  expect(result.err).toHaveLength(1);
  expect(result.err[0]).toMatch(/^error: /);
  if (typeof message === 'string') expect(result.err[0]).toContain(message);
  else expect(result.err[0]).toMatch(message);
}

describe('--out', () => {
  it('creates the output folder with its missing parents, as `mkdir -p`', async () => {
    const project = scratch();
    const out = join(project, 'monitoring', 'flux');
    const result = await build(['--out', out]);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, buildManifestFile), 'utf8')) as { files: string[] };
    expect(manifest.files.length).toBeGreaterThan(20);
    expect(readdirSync(project)).toEqual(['monitoring']);
  });

  it('a parent that is a file: one line, nothing written', async () => {
    const project = scratch();
    writeFileSync(join(project, 'monitoring'), 'mine\n');
    expectRefused(await build(['--out', join(project, 'monitoring', 'flux')]), 'monitoring is a file, not a folder');
    expect(readFileSync(join(project, 'monitoring'), 'utf8')).toBe('mine\n');
  });

  it('a symbolic link to nothing: one line, exit 2, its target not created', async () => {
    const project = scratch();
    const link = join(project, 'out');
    symlinkSync(join(project, 'gone'), link);
    const message = `${link} is a symbolic link to ${join(project, 'gone')}, which does not exist`;
    expectRefused(await build(['--out', link]), message);
    expect(readdirSync(project)).toEqual(['out']);
    const below = join(link, 'flux');
    expectRefused(await build(['--out', below]), `a folder of ${below}, is a symbolic link`);
    expect(readdirSync(project)).toEqual(['out']);
  });

  it("the file system's root: one line, exit 2, nothing written there", async () => {
    const before = readdirSync('/');
    expectRefused(await build(['--out', '/']), "/ is the file system's root: choose a folder of its own for --out");
    expect(readdirSync('/')).toEqual(before);
    expect(existsSync(join('/', buildManifestFile))).toBe(false);
  });

  it('under /dev: one line, as under /proc and /sys', async () => {
    expectRefused(await build(['--out', '/dev/flux-dashboards-test']), 'is under /dev, a kernel file system');
    expect(existsSync('/dev/flux-dashboards-test')).toBe(false);
  });
});

describe('arguments', () => {
  it('a stray word is not taken as the output folder: named, with the flag it was meant for', async () => {
    const project = scratch();
    const stray = join(project, 'extra-arg');
    const result = await build([stray]);
    expectRefused(result, `unexpected argument "${stray}": the output folder is given as --out ${stray}`);
    expect(result.err[0]).toContain('--config FILE');
    expect(existsSync(stray)).toBe(false);
  });

  it('a configuration file given without --config: named, with --config', async () => {
    expectRefused(
      await build(['flux.yaml']),
      'unexpected argument "flux.yaml": the configuration is given as --config',
    );
  });

  it.each([
    [['--config='], '--config is empty: give --config FILE.yaml'],
    [['--config'], '--config needs a value: --config FILE.yaml'],
    [['--out', '--config', 'flux.yaml'], '--out needs a value: --out DIR'],
    [['--frobnicate'], 'unknown option --frobnicate'],
  ])('%j names the flag', async (args, message) => {
    const result = await build(args);
    expectRefused(result, message);
    expect(result.err[0]).toContain('; usage: flux-dashboards build [--config');
  });

  it('--help documents the exit codes and FLUX_DASHBOARDS_DEBUG', async () => {
    const result = await build(['--help']);
    expect(result.code).toBe(0);
    expect(result.out.join('\n')).toMatch(/Exit codes: 0 written; 1 .*; 2 bad input/);
    expect(result.out.join('\n')).toContain('FLUX_DASHBOARDS_DEBUG=1');
  });
});

describe('how the command names itself', () => {
  it("npm's scripts of this package's commands are `npm run … --`; anything else the package's command", () => {
    const npm = (event: string, name = 'flux-dashboards') =>
      invocationOf({ npm_lifecycle_event: event, npm_package_name: name });
    expect(npm('build')).toBe(repositoryInvocation);
    expect(npm('deploy')).toBe(repositoryInvocation);
    expect(npm('init')).toBe(repositoryInvocation);
    expect(npm('doctor')).toBe(repositoryInvocation);
    expect(npm('test')).toBe(packageInvocation);
    expect(npm('build', 'my-monitoring')).toBe(packageInvocation);
    expect(invocationOf({})).toBe(packageInvocation);
  });

  it('its usage line in errors', async () => {
    const result = await build(['--frobnicate'], repositoryInvocation);
    expect(result.err[0]).toMatch(/; usage: npm run build -- \[--config/);
  });
});

describe('FLUX_DASHBOARDS_DEBUG', () => {
  const error = new Error('the first line\nand more');
  it('unset: the first line of the message only', () => {
    expect(errorLine(error, {})).toBe('the first line');
  });

  it('set: the stack trace too, for a bug report', () => {
    expect(errorLine(error, { FLUX_DASHBOARDS_DEBUG: '1' })).toBe(error.stack);
    expect(error.stack).toMatch(/\n\s+at /);
  });
});

it('build and deploy share one UsageError and one set of exit codes', async () => {
  expect(deployEntry.UsageError).toBe(UsageError);
  expect(new OutputError('x')).toBeInstanceOf(UsageError);
  expect(exitCodes).toEqual({ ok: 0, failed: 1, badInput: 2 });
  const deployed = await deployEntry.runDeployCli(['--frobnicate'], {}, { out: () => {}, err: () => {} });
  const built = await build(['--frobnicate']);
  expect([deployed, built.code]).toEqual([exitCodes.badInput, exitCodes.badInput]);
});
