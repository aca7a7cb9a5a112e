#!/usr/bin/env node
/** `flux-dashboards`: the package's command line, `build` and `deploy`, run by plain Node from the compiled package. */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandIo } from './build-command';

/** Exit code of a usage error (as the commands' own). */
const badInput = 2;

const program = 'flux-dashboards';

export const cliUsage = `usage: ${program} <command> [options]
commands:
  build   write the dashboards, alert rules, scrape configuration and Kubernetes manifests (${program} build --help)
  deploy  put the built dashboards into a Grafana folder (${program} deploy --help)
options:
  --help     this text
  --version  the package's version`;

/** The version in the package's own package.json, found above this file in the source tree and in lib/ alike. */
export function packageVersion(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === program && pkg.version) return pkg.version;
    }
    if (dirname(folder) === folder) return 'unknown';
  }
}

/** Runs one command line and returns its exit code. */
export async function runCli(argv: string[], env: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  // Each command loads its modules when it runs: `--help`, `--version` and bad input answer at once.
  if (command === 'build') return (await import('./build-command')).runBuildCli(rest, io, `${program} build`);
  if (command === 'deploy') return (await import('../deploy')).runDeployCli(rest, env, io, `${program} deploy`);
  if (command === '--version' || command === '-v') {
    io.out(packageVersion());
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(cliUsage);
    return 0;
  }
  const problem = command === undefined ? 'no command given' : `unknown command ${command}`;
  io.err(`error: ${problem}; ${cliUsage.split('\n')[0]} (build or deploy)`);
  return badInput;
}

// Run as the program (through npx's link too), not when imported.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = await runCli(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
