/**
 * The build command as a whole process, every output, beside flux-mixin's jsonnet build of its dashboards and alerts
 * (its Makefile's `alerts` and `dashboards` targets), each the median of several runs; and how long the command takes
 * to refuse a bad output folder. Needs `jsonnet` (Debian: `apt-get install jsonnet`) and git access to flux-mixin and
 * grafonnet-lib (FLUX_MIXIN_GIT and GRAFONNET_GIT name other clones); without them the mixin's side is skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installedInFreshProject } from '../test/helpers/consumer';

const repo = resolve(import.meta.dirname, '..');
/** flux-mixin at its newest commit, and grafonnet-lib at the version its jsonnetfile.lock.json pins. */
const mixin = {
  git: process.env.FLUX_MIXIN_GIT ?? 'https://github.com/fluxcd-community/flux-mixin.git',
  commit: '5f69de628466706e76d71ce2ba588d40530d5818',
};
const grafonnet = {
  git: process.env.GRAFONNET_GIT ?? 'https://github.com/grafana/grafonnet-lib.git',
  commit: '3626fc4dc2326931c530861ac5bebe39444f6cbf',
};
const runs = 9;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Wall time of one process, in seconds; throws when it fails. */
function timed(command: string, args: string[], cwd: string, expectedStatus = 0): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== expectedStatus) {
    const output = result.stderr.split('\n').slice(0, 3).join(' ');
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${output}`);
  }
  return seconds;
}

function checkout(source: { git: string; commit: string }, into: string): void {
  execFileSync('git', ['clone', '--quiet', '--no-checkout', source.git, into], { stdio: 'ignore' });
  execFileSync('git', ['-C', into, 'checkout', '--quiet', source.commit], { stdio: 'ignore' });
}

/** flux-mixin with its vendored grafonnet-lib, ready for `jsonnet -J vendor`; the reason when it cannot be. */
function prepareMixin(work: string): { dir: string } | { skipped: string } {
  if (spawnSync('jsonnet', ['--version']).error) {
    return { skipped: 'jsonnet is not installed (Debian: apt-get install jsonnet)' };
  }
  const dir = join(work, 'flux-mixin');
  try {
    checkout(mixin, dir);
    mkdirSync(join(dir, 'vendor/github.com/grafana'), { recursive: true });
    checkout(grafonnet, join(dir, 'vendor/github.com/grafana/grafonnet-lib'));
  } catch (error) {
    return { skipped: `cannot fetch flux-mixin or grafonnet-lib: ${(error as Error).message.split('\n')[0]}` };
  }
  return { dir };
}

/** The Makefile's `alerts` and `dashboards` targets, as one shell command. */
const mixinBuild = [
  'mkdir -p files && rm -rf files/alerts.yml',
  `jsonnet -J vendor -S -e 'std.manifestYamlDoc((import "mixin.libsonnet").prometheusAlerts)' > files/alerts.yml`,
  'rm -rf files/dashboards && mkdir -p files/dashboards',
  `jsonnet -J vendor -m files/dashboards -e '(import "mixin.libsonnet").grafanaDashboards' > /dev/null`,
].join(' && ');

export interface CliBench {
  runs: number;
  /** `./node_modules/.bin/flux-dashboards build` in a project that installed the package. */
  cliSeconds: number;
  /** `npx flux-dashboards build`, npm's own start-up included. */
  npxSeconds: number;
  /** `npm run build` in this repository (tsx compiling the sources on the fly). */
  npmRunBuildSeconds: number;
  mixin: { commit: string; grafonnetCommit: string; seconds: number } | { skipped: string };
  /** The command's time over the mixin's: under 1 is faster. */
  ratio?: { cli: number; npx: number };
  /** Slowest refusal of a bad output folder (exit code 2), seconds. */
  badOutSeconds: Record<string, number>;
}

/** Packs and installs the package into a fresh project, then times the command there. */
export async function benchCli(): Promise<CliBench> {
  const work = mkdtempSync(join(tmpdir(), 'flux-dashboards-bench-cli-'));
  try {
    const consumer = (await installedInFreshProject(work)).folder;
    const command = join(consumer, 'node_modules/.bin/flux-dashboards');
    const prepared = prepareMixin(work);
    const out = join(work, 'out');
    const ours = {
      cli: () => timed(command, ['build', '--out', out], consumer),
      npx: () => timed('npx', ['--offline', 'flux-dashboards', 'build', '--out', out], consumer),
      npmRunBuild: () => timed('npm', ['run', '--silent', 'build', '--', '--out', out], repo),
    };
    const theirs = 'dir' in prepared ? () => timed('sh', ['-c', mixinBuild], prepared.dir) : undefined;
    const times = { cli: [] as number[], npx: [] as number[], npmRunBuild: [] as number[], mixin: [] as number[] };
    // One unmeasured round warms the file cache; the rounds interleave so that load on the machine hits all alike.
    for (let round = 0; round <= runs; round++) {
      const measured = { cli: ours.cli(), npx: ours.npx(), npmRunBuild: ours.npmRunBuild(), mixin: theirs?.() };
      if (round === 0) continue;
      times.cli.push(measured.cli);
      times.npx.push(measured.npx);
      times.npmRunBuild.push(measured.npmRunBuild);
      if (measured.mixin !== undefined) times.mixin.push(measured.mixin);
    }
    const badOut = {
      'an existing file': join(repo, 'package.json'),
      '/dev/null': '/dev/null',
      '/proc/x': '/proc/x',
      'empty': '',
    };
    const badOutSeconds = Object.fromEntries(Object.entries(badOut).map(([name, path]) => [
      name,
      Math.max(...Array.from({ length: 3 }, () => timed(command, ['build', '--out', path], work, 2))),
    ]));
    const mixinSeconds = times.mixin.length ? median(times.mixin) : undefined;
    const result: CliBench = {
      runs,
      cliSeconds: median(times.cli),
      npxSeconds: median(times.npx),
      npmRunBuildSeconds: median(times.npmRunBuild),
      mixin: 'dir' in prepared && mixinSeconds !== undefined
        ? { commit: mixin.commit, grafonnetCommit: grafonnet.commit, seconds: mixinSeconds }
        : { skipped: 'skipped' in prepared ? prepared.skipped : 'no mixin runs' },
      badOutSeconds,
    };
    if (mixinSeconds !== undefined) {
      result.ratio = { cli: result.cliSeconds / mixinSeconds, npx: result.npxSeconds / mixinSeconds };
    }
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printCliBench(bench: CliBench): void {
  const s = (seconds: number) => `${seconds.toFixed(3)} s`;
  console.log(`build command as a whole process, every output (median of ${bench.runs} runs):`);
  console.log(`  flux-dashboards build          ${s(bench.cliSeconds)}`);
  console.log(`  npx flux-dashboards build      ${s(bench.npxSeconds)}`);
  console.log(`  npm run build (tsx)            ${s(bench.npmRunBuildSeconds)}`);
  if ('skipped' in bench.mixin) console.log(`  flux-mixin jsonnet build       skipped: ${bench.mixin.skipped}`);
  else console.log(`  flux-mixin jsonnet build       ${s(bench.mixin.seconds)} (${bench.mixin.commit.slice(0, 7)})`);
  const { ratio } = bench;
  if (ratio) console.log(`  ratio to the mixin: cli ${ratio.cli.toFixed(2)}, npx ${ratio.npx.toFixed(2)}`);
  const slowest = Math.max(...Object.values(bench.badOutSeconds));
  console.log(`  refusing a bad --out (${Object.keys(bench.badOutSeconds).join(', ')}): at most ${s(slowest)}`);
}
