/**
 * The build command (`flux-dashboards build`, `npm run build`): checks the output folder and the configuration, then
 * writes the dashboards, scrape configuration, alert rules and packaging. Nothing is written on bad input. The
 * output folder is checked before the configuration and the build's modules load, so a bad one is refused at once.
 */
import { parseArgs } from 'node:util';
import { defaultOutDir, buildManifestFile } from '../model';
import { checkOutputFolder, OutputError } from './output-folder';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Exit code of bad input (configuration, arguments, output folder), distinct from 1 (the build itself failed). */
export const badInput = 2;


export const buildUsage = (program: string) => `usage: ${program} [--config FILE.yaml|FILE.json] [--out DIR]
Writes the Grafana dashboards, alert rules, scrape configuration and Kubernetes manifests into DIR.
  --config FILE  the configuration (JSON or YAML; see config/config.schema.json); default: every option's default
  --out DIR      the output folder (default ${defaultOutDir}); its parent must exist. Only files this command
                 wrote there (listed in DIR/${buildManifestFile}) are replaced or removed; no other file is touched
  --help         this text`;

class UsageError extends Error {}

function buildOptions(argv: string[], program: string): { config?: string; out: string; help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
    if (positionals.length > 1 || (positionals.length === 1 && values.out !== undefined)) {
      throw new Error(`unexpected argument ${positionals.at(-1)}`);
    }
    // A lone positional argument is the output folder, as before --out existed.
    return { config: values.config, out: values.out ?? positionals[0] ?? defaultOutDir, help: values.help ?? false };
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('. ')[0]}; ${buildUsage(program).split('\n')[0]}`);
  }
}

/** Runs the build and returns its exit code: 0 written, 1 the build failed, 2 bad input (nothing written). */
export async function runBuildCli(argv: string[], io: CommandIo, program = 'flux-dashboards build'): Promise<number> {
  try {
    const options = buildOptions(argv, program);
    if (options.help) {
      io.out(buildUsage(program));
      return 0;
    }
    checkOutputFolder(options.out);
    const config = (await import('../config')).readConfig(options.config);
    const { renderArtifacts } = await import('./artifacts');
    const { writeArtifacts } = await import('./write-output');
    const artifacts = renderArtifacts(config);
    writeArtifacts(options.out, artifacts);
    io.out(`wrote ${artifacts.size} files to ${options.out}`);
    return 0;
  } catch (error) {
    // ConfigError by name: its module is loaded only once the output folder passed.
    const configError = error instanceof Error && error.name === 'ConfigError';
    const userError = configError || error instanceof OutputError || error instanceof UsageError;
    io.err(`error: ${errorLine(error)}`);
    return userError ? badInput : 1;
  }
}

/** The first line of the error's message: a stack trace says nothing to someone running the command. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.FLUX_DASHBOARDS_DEBUG && error instanceof Error && error.stack) return error.stack;
  return message.split('\n')[0] ?? message;
}
