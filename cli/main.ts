#!/usr/bin/env node
/**
 * `flux-dashboards`: the package's command line, `build` and `deploy`, run by plain Node from the compiled package
 * and by this repository's `npm run build` and `npm run deploy` from the sources. The one module above the commands.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  consoleIo, debugVariable, exitCodes, invocationOf, packageName, type CommandIo, type Environment,
} from './command';

const program = packageName;

export const cliUsage = `usage: ${program} <command> [options]
commands:
  build   write the dashboards, alert rules, scrape configuration and Kubernetes manifests (${program} build --help)
  deploy  put the built dashboards into a Grafana folder (${program} deploy --help)
  init    write the configuration that fits what a Prometheus (and Loki) hold (${program} init --help)
  doctor  say which panels will be empty, why, and the fix (${program} doctor --help)
options:
  --help     this text
  --version  the package's version
Exit codes: 0 done; 1 the command failed; 2 bad input, nothing done. ${debugVariable}=1 prints stack traces.`;

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
export async function runCli(argv: string[], env: Environment, io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  const invocation = invocationOf(env);
  // Each command loads its modules when it runs: `--help`, `--version` and bad input answer at once.
  if (command === 'build') return (await import('../build/command')).runBuildCli(rest, io, invocation, env);
  if (command === 'deploy') return (await import('../deploy/command')).runDeployCli(rest, env, io, invocation);
  if (command === 'init') return (await import('../inspect/command')).runInitCli(rest, io, invocation, env);
  if (command === 'doctor') return (await import('../inspect/command')).runDoctorCli(rest, io, invocation, env);
  if (command === '--version' || command === '-v') {
    io.out(packageVersion());
    return exitCodes.ok;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(cliUsage);
    return exitCodes.ok;
  }
  const problem = command === undefined ? 'no command given' : `unknown command ${command}`;
  io.err(`error: ${problem}; ${cliUsage.split('\n')[0]} (build, deploy, init or doctor)`);
  return exitCodes.badInput;
}

// Run as the program (through npx's link too), not when imported.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = await runCli(process.argv.slice(2), process.env, consoleIo);
}
