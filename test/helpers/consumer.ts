/**
 * A fresh project with this package installed as a user installs it: `npm pack` makes the tarball (compiling lib/),
 * and `npm install --offline` installs it beside the production dependencies, each packed from this repository's
 * node_modules as the registry would serve it. No network is needed.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: ExecFileOptions = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface Consumer {
  /** The project folder, with the package in its node_modules. */
  folder: string;
  tarball: string;
  /** Every path in the tarball, sorted. */
  packed: string[];
}

async function mustRun(command: string, args: string[], options: ExecFileOptions): Promise<Run> {
  const result = await run(command, args, options);
  if (result.code !== 0)
    throw new Error(`${command} ${args.slice(0, 2).join(' ')} failed: ${result.stderr.slice(-2000)}`);
  return result;
}

/** Packs the package into `scratch` and installs it into `scratch/consumer`. */
export async function installedInFreshProject(scratch: string): Promise<Consumer> {
  const pack = await mustRun('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repo });
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = join(scratch, info!.filename);

  const tree = await mustRun('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: repo });
  const dependencyFolders = tree.stdout.split('\n').filter((line) => line && line !== repo);
  const deps = join(scratch, 'deps');
  mkdirSync(deps);
  await mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', deps, ...dependencyFolders], {
    cwd: scratch,
  });

  const folder = join(scratch, 'consumer');
  mkdirSync(folder);
  const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module' };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const dependencyTarballs = readdirSync(deps).map((name) => join(deps, name));
  await mustRun('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball, ...dependencyTarballs], {
    cwd: folder,
  });
  return { folder, tarball, packed: info!.files.map((file) => file.path).sort() };
}
