/**
 * `flux-dashboards init` and `flux-dashboards doctor`: the command lines over the detection (init.ts) and the
 * diagnosis (doctor.ts). Bad input (arguments, configuration, an unreachable or wrong server, refused credentials) is
 * one line and exit code 2, within `--timeout`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseFlags, positiveNumber } from '../cli/arguments';
import {
  debugVariable, errorLine, exitCodes, packageInvocation, UsageError, type CommandIo, type Environment,
  type Invocation,
} from '../cli/command';
import { checkedUrl, deadlineOf, InspectError, parseTime, type Deadline, type Endpoint } from './client';

/** Seconds a command may take, all requests together, when `--timeout` is not given. */
export const defaultTimeoutSeconds = 60;

const connectionFlags = {
  prometheus: { type: 'string', value: 'URL' },
  loki: { type: 'string', value: 'URL' },
  'basic-auth': { type: 'string', value: 'USER:PASSWORD' },
  'bearer-token': { type: 'string', value: 'TOKEN' },
  tenant: { type: 'string', value: 'TENANT' },
  'loki-basic-auth': { type: 'string', value: 'USER:PASSWORD' },
  'loki-bearer-token': { type: 'string', value: 'TOKEN' },
  'loki-tenant': { type: 'string', value: 'TENANT' },
  at: { type: 'string', value: 'TIME' },
  timeout: { type: 'string', value: 'SECONDS' },
  help: { type: 'boolean', short: 'h' },
} as const;

const connectionHelp = `  --prometheus URL     the Prometheus (Mimir, Thanos) holding the Flux metrics (required)
  --loki URL           the Loki holding the Flux controllers' logs
  --basic-auth U:P     basic auth for both URLs; --bearer-token TOKEN a bearer token instead
  --tenant ID          the X-Scope-OrgID tenant header for both URLs (Mimir, multi-tenant Loki)
  --loki-basic-auth U:P, --loki-bearer-token TOKEN, --loki-tenant ID   the same for Loki alone
  --at TIME            look at the window ending at TIME (RFC 3339 or Unix seconds) instead of now
  --timeout SECONDS    give up after this long, all requests together (default ${defaultTimeoutSeconds})
  --help               this text`;

export const initUsage = (program: string) => `usage: ${program} --prometheus URL [--loki URL] [--out FILE] [--force]
Asks the Prometheus (and Loki) which installation it watches and writes the smallest configuration that fits.
  --out FILE           where to write it (default flux.yaml); an existing file only with --force
  --force              overwrite FILE
${connectionHelp}
Exit codes: 0 written; 1 nothing to detect (no Flux metrics); 2 bad input, nothing written.
${debugVariable}=1 prints the stack trace of an unexpected error.`;

export const doctorUsage = (program: string) =>
  `usage: ${program} --prometheus URL [--config FILE] [--loki URL] [--json]
Checks every series each panel and alert of the configured dashboards reads, and says why an empty one is empty.
  --config FILE        the configuration (default: every option's default)
  --json               the findings as JSON, for CI
${connectionHelp}
Exit codes: 0 every panel the installation can fill has data; 1 some will be empty, or the configuration does not
match the data; 2 bad input (arguments, configuration, unreachable URL, not a Prometheus, refused credentials).
${debugVariable}=1 prints the stack trace of an unexpected error.`;

type ConnectionValues = { [K in keyof typeof connectionFlags]?: (typeof connectionFlags)[K]['type'] extends 'string'
  ? string : boolean };

interface Connection {
  prometheus: Endpoint;
  loki?: Endpoint;
  at: number;
  deadline: Deadline;
}

function connectionOf(options: ConnectionValues, usage: string): Connection {
  if (!options.prometheus) throw new UsageError(`--prometheus URL is required; ${usage}`);
  const seconds = options.timeout === undefined ? defaultTimeoutSeconds
    : positiveNumber('timeout', options.timeout, 'seconds');
  const shared = { basicAuth: options['basic-auth'], bearerToken: options['bearer-token'], tenant: options.tenant };
  const clean = (endpoint: Endpoint): Endpoint =>
    Object.fromEntries(Object.entries(endpoint).filter(([, value]) => value !== undefined)) as unknown as Endpoint;
  for (const flag of ['basic-auth', 'loki-basic-auth'] as const) {
    const value = options[flag];
    if (value !== undefined && !value.includes(':')) throw new UsageError(`--${flag} is USER:PASSWORD, with a colon`);
  }
  return {
    prometheus: clean({ url: checkedUrl('prometheus', options.prometheus), ...shared }),
    ...(options.loki ? {
      loki: clean({
        url: checkedUrl('loki', options.loki),
        basicAuth: options['loki-basic-auth'] ?? shared.basicAuth,
        bearerToken: options['loki-bearer-token'] ?? shared.bearerToken,
        tenant: options['loki-tenant'] ?? shared.tenant,
      }),
    } : {}),
    at: parseTime(options.at),
    deadline: deadlineOf(seconds),
  };
}

const badInputNames = new Set(['ConfigError', 'InspectError', 'UsageError']);

function failure(error: unknown, io: CommandIo, env: Environment): number {
  io.err(`error: ${errorLine(error, env)}`);
  return error instanceof Error && badInputNames.has(error.name) ? exitCodes.badInput : exitCodes.failed;
}

/** The longest range a dashboard opens on: what init and doctor look over. */
async function dashboardRange(config: import('../config').Config): Promise<number> {
  const { panelFamilies } = await import('./doctor');
  return Math.max(...panelFamilies(config).map((dashboard) => dashboard.rangeSeconds));
}

export async function runInitCli(
  argv: string[], io: CommandIo, invocation: Invocation = packageInvocation, env: Environment = process.env,
): Promise<number> {
  const program = invocation.program('init');
  try {
    const usage = initUsage(program).split('\n')[0]!;
    const flags = { ...connectionFlags, out: { type: 'string', value: 'FILE' }, force: { type: 'boolean' } } as const;
    const options = parseFlags(argv, flags, { usage, stray: (word) => `give the file as --out ${word}` });
    if (options.help) {
      io.out(initUsage(program));
      return exitCodes.ok;
    }
    const connection = connectionOf(options, usage);
    const out = options.out ?? 'flux.yaml';
    if (existsSync(out) && !options.force) {
      throw new UsageError(`${out} exists: give --force to overwrite it, or --out another file`);
    }
    const { resolveConfig } = await import('../config');
    const { prometheusReader } = await import('./prometheus');
    const { configText, detectLokiPreset, detectPrometheus } = await import('./init');
    const range = await dashboardRange(resolveConfig({}));
    const prometheus = await prometheusReader(connection.prometheus, connection.at, connection.deadline);
    const detection = await detectPrometheus(prometheus, range);
    if (connection.loki) {
      const { lokiStreams } = await import('./loki');
      const { lokiPresets } = await import('../model/loki');
      // Every preset names the pod's namespace the same; the default's label is asked.
      const namespaceLabel = lokiPresets.promtail.namespaceLabel;
      const streams = await lokiStreams(connection.loki, namespaceLabel, detection.namespace.value,
        connection.at - range, connection.at, connection.deadline);
      detection.lokiPreset = detectLokiPreset(streams, detection.namespace.value);
    }
    const text = configText(detection);
    // The written file must be one the build accepts.
    (await import('../config')).parseConfig(text, out);
    writeFileSync(out, text);
    for (const line of text.trimEnd().split('\n').slice(1)) io.out(line);
    io.out(`wrote ${out}`);
    return detection.flavor.undecided && detection.namespace.undecided ? exitCodes.failed : exitCodes.ok;
  } catch (error) {
    return failure(error, io, env);
  }
}

export async function runDoctorCli(
  argv: string[], io: CommandIo, invocation: Invocation = packageInvocation, env: Environment = process.env,
): Promise<number> {
  const program = invocation.program('doctor');
  try {
    const usage = doctorUsage(program).split('\n')[0]!;
    const flags = {
      ...connectionFlags, config: { type: 'string', value: 'FILE.yaml' }, json: { type: 'boolean' },
    } as const;
    const options = parseFlags(argv, flags, { usage, stray: (word) => `give the configuration as --config ${word}` });
    if (options.help) {
      io.out(doctorUsage(program));
      return exitCodes.ok;
    }
    const connection = connectionOf(options, usage);
    const config = (await import('../config')).readConfig(options.config);
    const { diagnose } = await import('./doctor');
    const { prometheusReader } = await import('./prometheus');
    const range = await dashboardRange(config);
    const prometheus = await prometheusReader(connection.prometheus, connection.at, connection.deadline);
    let loki;
    if (connection.loki) {
      const { lokiStreams } = await import('./loki');
      const { lokiPresets } = await import('../model/loki');
      loki = await lokiStreams(connection.loki, lokiPresets[config.loki.preset].namespaceLabel, config.namespace,
        connection.at - range, connection.at, connection.deadline);
    }
    const report = await diagnose({ config, prometheus, ...(loki ? { loki } : {}), at: connection.at });
    const { reportLines } = await import('./report');
    if (options.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of reportLines(report, !connection.loki)) io.out(line);
    return report.healthy ? exitCodes.ok : exitCodes.failed;
  } catch (error) {
    return failure(error, io, env);
  }
}

export { InspectError };
