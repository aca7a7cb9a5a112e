/**
 * The build command (`flux-dashboards build`, `npm run build`): checks the output folder and the configuration, then
 * writes the dashboards, scrape configuration, alert rules and packaging. Nothing is written on bad input. The
 * output folder is checked before the configuration and the build's modules load, so a bad one is refused at once.
 */
import { parseFlags } from '../cli/arguments';
import {
  debugVariable, errorLine, exitCodes, packageInvocation, UsageError, type CommandIo, type Environment,
  type Invocation,
} from '../cli/command';
import { defaultOutDir, buildManifestFile } from '../model';
import { checkOutputFolder, configFingerprint, OutputError } from './folder-ownership';

export const buildUsage = (program: string) => `usage: ${program} [--config FILE.yaml|FILE.json] [--out DIR]
Writes the Grafana dashboards, alert rules, scrape configuration and Kubernetes manifests into DIR.
  --config FILE  the configuration (JSON or YAML; see config/config.schema.json); default: every option's default
  --out DIR      the output folder (default ${defaultOutDir}), created with its missing parents. Only the files
                 this command wrote there, listed in DIR/${buildManifestFile},
                 are replaced or removed; no other file is touched
  --help         this text
Exit codes: 0 written; 1 the build failed; 2 bad input (arguments, configuration, output folder), nothing written.
${debugVariable}=1 prints the stack trace of an unexpected error.`;

const buildFlags = {
  config: { type: 'string', value: 'FILE.yaml' },
  out: { type: 'string', value: 'DIR' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A stray word was meant as the configuration (it names a file of one) or as the output folder. */
const strayAdvice = (word: string) =>
  /\.(ya?ml|json)$/i.test(word)
    ? `the configuration is given as --config ${word}`
    : `the output folder is given as --out ${word} (and the configuration as --config FILE)`;

/** Runs the build and returns its exit code: 0 written, 1 the build failed, 2 bad input (nothing written). */
export async function runBuildCli(
  argv: string[], io: CommandIo, invocation: Invocation = packageInvocation, env: Environment = process.env,
): Promise<number> {
  const program = invocation.program('build');
  try {
    const usage = buildUsage(program).split('\n')[0]!;
    const options = parseFlags(argv, buildFlags, { usage, stray: strayAdvice });
    if (options.help) {
      io.out(buildUsage(program));
      return exitCodes.ok;
    }
    const out = options.out ?? defaultOutDir;
    checkOutputFolder(out);
    const config = (await import('../config')).readConfig(options.config);
    const { renderArtifacts } = await import('./render');
    const { writeArtifacts } = await import('./write');
    const artifacts = renderArtifacts(config);
    writeArtifacts(out, artifacts, configFingerprint(config));
    io.out(`wrote ${artifacts.size} files to ${out}`);
    return exitCodes.ok;
  } catch (error) {
    // ConfigError by name: its module is loaded only once the output folder passed.
    const configError = error instanceof Error && error.name === 'ConfigError';
    const badInput = configError || error instanceof OutputError || error instanceof UsageError;
    io.err(`error: ${errorLine(error, env)}`);
    return badInput ? exitCodes.badInput : exitCodes.failed;
  }
}
