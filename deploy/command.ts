/**
 * The deploy command (`flux-dashboards deploy`, `npm run deploy`): reads the built dashboards (and, with --alerts, the
 * Grafana-managed alert rules) and puts them into a Grafana, with credentials from the environment.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, defaultConfig, loadConfigFile, type ConfigInput } from '../config';
import { parseFlags, positiveNumber } from '../cli/arguments';
import {
  debugVariable, errorLine, exitCodes, packageInvocation, UsageError, type CommandIo, type Environment,
  type Invocation,
} from '../cli/command';
import { defaultOutDir, outputFiles, outputFolders } from '../model/outputs';
import {
  AlertFileError, deployAlertRules, formatAlertReport, readAlertRuleFile, type AlertDeployReport,
} from './alert-rules';
import { deploy, type DeployPlan, type DeployReport } from './deploy';
import type { ApiChoice, Dashboard } from './grafana-api';
import { describeUrl, GrafanaHttp, redact, secretsOf, type Credentials, type RetryPolicy } from './http';

export { UsageError, type Environment } from '../cli/command';

/** Where `npm run build` puts the dashboards when given no other folder. */
export const defaultDashboardsDir = join(defaultOutDir, outputFolders.dashboards);

/** The provisioning file `npm run build` writes for Grafana-managed rules. */
export const defaultAlertsFile = `${defaultOutDir}/${outputFiles.grafanaAlertProvisioning}`;

export const deployUsage = (program: string) => `usage: ${program} [--url URL] [--config FILE] [--folder TITLE]
         [--dry-run] [--api auto|legacy|resource] [--dir FOLDER] [--namespace NS] [--timeout SECONDS]
         [--message TEXT] [--alerts] [--alerts-file FILE] [--alerts-editable]
Puts the built dashboards (FOLDER/*.json, default ${defaultDashboardsDir}) into one Grafana folder over its HTTP API.
Grafana's address comes from --url, else GRAFANA_URL, else alerts.grafanaUrl of --config: one of them is needed.
  --url URL          Grafana's address, e.g. https://grafana.example.com
  --config FILE      the build's configuration: the folder from packaging.folder, the URL from alerts.grafanaUrl
  --folder TITLE     the Grafana folder (default packaging.folder of --config, else ${defaultConfig.packaging.folder})
  --dry-run          say what would be created, changed or left alone, and write nothing
  --api              auto (ask /api/health), legacy (/api/dashboards) or resource (Grafana 12 and later)
  --dir FOLDER       the built dashboards (default ${defaultDashboardsDir})
  --namespace NS     resource API namespace (default "default"; org-<id>, stacks-<id> on Grafana Cloud)
  --timeout SECONDS  bound of each request, greater than 0 (default 30)
  --message TEXT     the dashboards' version-history message (default "flux-dashboards deploy")
  --alerts           also the Grafana-managed alert rules of --alerts-file FILE
                     (default ${defaultAlertsFile});
                     --alerts-editable lets them be edited in Grafana's UI
  --help             this text
Credentials from the environment: GRAFANA_TOKEN (service-account token), or GRAFANA_USER and GRAFANA_PASSWORD.
Exit codes: 0 everything saved or unchanged; 1 Grafana failed or refused; 2 bad input, no request made.
${debugVariable}=1 prints the stack trace of an unexpected error.`;

export interface DeployOptions {
  url: URL;
  credentials: Credentials;
  dir: string;
  plan: DeployPlan;
  timeoutMs: number;
  /** Grafana-managed rule groups to push after the dashboards, from a provisioning file. */
  alerts?: { file: string; editable: boolean };
}

const apiChoices: readonly ApiChoice[] = ['auto', 'legacy', 'resource'];

export function parseGrafanaUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url "${text}" is not a URL: give Grafana's address, e.g. https://grafana.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be http:// or https://, not ${url.protocol}//`);
  }
  if (url.username || url.password) {
    throw new UsageError('--url must not carry credentials: set GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD');
  }
  if (url.search || url.hash) {
    throw new UsageError(
      `--url must be Grafana's root address without ?query or #fragment, e.g. ${url.origin}${url.pathname}`,
    );
  }
  return url;
}

/** A line break or another control character cannot travel in an HTTP header: a token copied with its newline. */
function checkHeaderSafe(name: string, value: string): string {
  if (/[\0-\x1f\x7f]/.test(value)) {
    const what = /[\r\n]/.test(value) ? 'a line break' : 'a control character';
    throw new UsageError(`${name} holds ${what}, which no HTTP header may carry: set it again without it`);
  }
  return value;
}

export function credentialsFrom(env: Environment): Credentials {
  if (env.GRAFANA_TOKEN) return { kind: 'token', token: checkHeaderSafe('GRAFANA_TOKEN', env.GRAFANA_TOKEN) };
  if (env.GRAFANA_USER && env.GRAFANA_PASSWORD) {
    return { kind: 'basic', user: env.GRAFANA_USER, password: env.GRAFANA_PASSWORD };
  }
  if (env.GRAFANA_USER || env.GRAFANA_PASSWORD) {
    throw new UsageError('set both GRAFANA_USER and GRAFANA_PASSWORD, or GRAFANA_TOKEN instead');
  }
  throw new UsageError(
    'no credentials: set GRAFANA_TOKEN to a service-account token (or GRAFANA_USER and GRAFANA_PASSWORD)',
  );
}

/** The build's configuration file, read for the folder and Grafana's URL; a bad file is bad input. */
function configFile(path: string | undefined): ConfigInput {
  if (path === undefined) return {};
  try {
    return loadConfigFile(path);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

const deployFlags = {
  url: { type: 'string', value: 'URL' },
  config: { type: 'string', value: 'FILE.yaml' },
  folder: { type: 'string', value: 'TITLE' },
  'dry-run': { type: 'boolean' },
  api: { type: 'string', value: 'auto|legacy|resource' },
  dir: { type: 'string', value: 'FOLDER' },
  namespace: { type: 'string', value: 'NS' },
  timeout: { type: 'string', value: 'SECONDS' },
  message: { type: 'string', value: 'TEXT' },
  alerts: { type: 'boolean' },
  'alerts-file': { type: 'string', value: 'FILE' },
  'alerts-editable': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const strayAdvice = (word: string) =>
  /\.(ya?ml|json)$/i.test(word)
    ? `deploy takes only options: the configuration is given as --config ${word}`
    : `deploy takes only options: the built dashboards are given as --dir ${word}`;

export function parseDeployOptions(
  argv: string[], env: Environment, invocation: Invocation = packageInvocation,
): DeployOptions {
  const usage = deployUsage(invocation.program('deploy')).split('\n')[0]!;
  const values = parseFlags(argv, deployFlags, { usage, stray: strayAdvice });
  const config = configFile(values.config);
  // Flags win, then the environment, then the configuration file.
  const urlText = values.url ?? env.GRAFANA_URL ?? config.alerts?.grafanaUrl;
  if (!urlText) {
    throw new UsageError(`no Grafana address: pass --url, set GRAFANA_URL or alerts.grafanaUrl in --config; ${usage}`);
  }
  const url = parseGrafanaUrl(urlText);
  const api = (values.api ?? 'auto') as ApiChoice;
  if (!apiChoices.includes(api)) {
    throw new UsageError(`--api must be one of ${apiChoices.join(', ')}, not "${values.api}"`);
  }
  const timeoutSeconds = positiveNumber('timeout', values.timeout ?? '30', 'seconds');
  const folderTitle = values.folder ?? config.packaging?.folder ?? defaultConfig.packaging.folder;
  if (!folderTitle.trim()) throw new UsageError('--folder must not be empty');
  const withAlerts = values.alerts || values['alerts-file'] !== undefined || values['alerts-editable'];
  const alertsFile = resolve(values['alerts-file'] ?? defaultAlertsFile);
  const alerts = { file: alertsFile, editable: values['alerts-editable'] ?? false };
  return {
    url,
    credentials: credentialsFrom(env),
    ...(withAlerts ? { alerts } : {}),
    dir: resolve(values.dir ?? defaultDashboardsDir),
    timeoutMs: timeoutSeconds * 1000,
    plan: {
      folderTitle,
      api,
      namespace: values.namespace ?? 'default',
      dryRun: values['dry-run'] ?? false,
      message: values.message ?? 'flux-dashboards deploy',
    },
  };
}

/** Every `*.json` of the folder, each a dashboard with a uid and a title; the advice names the build as it is run. */
export function readDashboards(dir: string, invocation: Invocation = packageInvocation): Dashboard[] {
  const build = `\`${invocation.suggest('build')}\``;
  const buildFirst = `build them first (${build}), or pass --dir`;
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder`);
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${dir}: ${buildFirst}`);
  }
  if (names.length === 0) throw new UsageError(`${dir} holds no .json dashboards: ${buildFirst}`);
  return names.map((name) => {
    const path = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new UsageError(`${path} is not valid JSON: build it again (${build})`);
    }
    const { uid, title } = (json ?? {}) as Record<string, unknown>;
    const isDashboard = typeof json === 'object' && !Array.isArray(json) && typeof uid === 'string' && uid !== '';
    if (!isDashboard || typeof title !== 'string') {
      throw new UsageError(`${path} is not a Grafana dashboard (it needs a string "uid" and "title")`);
    }
    return json as Dashboard;
  });
}

const changeWords = {
  created: { done: 'created', dry: 'would be created' },
  changed: { done: 'updated', dry: 'would change' },
  unchanged: { done: 'unchanged, left alone', dry: 'unchanged, would be left alone' },
};

interface Tally {
  created: number;
  changed: number;
  saved: number;
  unchanged: number;
  /** Failed, or not attempted because the run stopped. */
  notSaved: number;
}

type Outcome = { change: string; saved: boolean };
const tally = (outcomes: Outcome[]): Tally => {
  const count = (test: (outcome: Outcome) => boolean) => outcomes.filter(test).length;
  return {
    created: count((outcome) => outcome.change === 'created'),
    changed: count((outcome) => outcome.change === 'changed'),
    saved: count((outcome) => outcome.saved),
    unchanged: count((outcome) => outcome.change === 'unchanged'),
    notSaved: count((outcome) => outcome.change === 'failed' || outcome.change === 'not attempted'),
  };
};

const tallyText = ({ created, changed, saved, unchanged, notSaved }: Tally, dryRun: boolean) =>
  dryRun
    ? `${created} would be created, ${changed} would change, ${unchanged} unchanged, ${notSaved} could not be checked`
    : `${saved} saved, ${unchanged} unchanged, ${notSaved} not saved`;

/**
 * The last line: the dashboards' outcomes and, when alert rule groups were asked for, theirs; a group never tried
 * (the run stopped before the alerts) counts as not saved.
 */
export function summaryLine(
  report: DeployReport, alerts?: { groups: number; report?: AlertDeployReport },
): string {
  const parts = [tallyText(tally(report.dashboards), report.dryRun)];
  let ok = report.ok;
  if (alerts) {
    const groups = tally(alerts.report?.groups ?? []);
    groups.notSaved += alerts.groups - (alerts.report?.groups.length ?? 0);
    parts[0] = `dashboards ${parts[0]}`;
    parts.push(`alert rule groups ${tallyText(groups, report.dryRun)}`);
    ok &&= alerts.report?.ok ?? false;
  }
  // A dry run writes nothing, so nothing failed to be written: its line says what could not be checked.
  return `summary: ${parts.join('; ')}${ok || report.dryRun ? '' : ' (failed)'}`;
}

export function formatReport(report: DeployReport, url: URL): string[] {
  const lines: string[] = [];
  const api = report.api ? `, ${report.api} API` : '';
  const version = report.grafanaVersion ? ` ${report.grafanaVersion}` : '';
  lines.push(`${report.dryRun ? 'dry run (nothing is written): ' : ''}Grafana${version} at ${describeUrl(url)}${api}`);
  const folderUid = report.folder.uid ? ` (uid ${report.folder.uid})` : '';
  lines.push(`folder "${report.folder.title}": ${report.folder.state}${folderUid}`);
  for (const outcome of report.dashboards) {
    const name = `${outcome.uid} (${outcome.title})`;
    if (outcome.change === 'failed') lines.push(`${name}: FAILED: ${outcome.error}`);
    else if (outcome.change === 'not attempted') lines.push(`${name}: not saved`);
    else {
      const version = outcome.saved && outcome.version ? `, version ${outcome.version}` : '';
      lines.push(`${name}: ${changeWords[outcome.change][report.dryRun ? 'dry' : 'done']}${version}`);
    }
  }
  if (report.stopped) lines.push(`stopped: ${report.stopped}`);
  lines.push(summaryLine(report));
  return lines;
}

export interface DeployIo extends CommandIo {
  /** Injected so that tests do not wait for real backoff. */
  sleep?: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
}

export const defaultRetry: RetryPolicy = { retries: 3, backoffMs: 500, maxDelayMs: 30_000 };

/** Runs the command and returns its exit code: 0 all saved or unchanged, 1 Grafana failed, 2 bad input. */
export async function runDeployCli(
  argv: string[], env: Environment, io: DeployIo, invocation: Invocation = packageInvocation,
): Promise<number> {
  const secrets = [env.GRAFANA_TOKEN, env.GRAFANA_PASSWORD].filter((secret): secret is string => Boolean(secret));
  const say = (print: (line: string) => void) => (line: string) => print(redact(line, secrets));
  const out = say(io.out);
  const err = say(io.err);
  if (argv.includes('--help') || argv.includes('-h')) {
    out(deployUsage(invocation.program('deploy')));
    return exitCodes.ok;
  }
  try {
    return await deployWith(argv, env, io, invocation, { out, err });
  } catch (error) {
    // Whatever went wrong, one line: a stack trace is no help to someone deploying dashboards.
    err(`error: ${errorLine(error, env)}`);
    const badInput = error instanceof UsageError || error instanceof AlertFileError;
    return badInput ? exitCodes.badInput : exitCodes.failed;
  }
}

type Say = Record<'out' | 'err', (line: string) => void>;

async function deployWith(argv: string[], env: Environment, io: DeployIo, invocation: Invocation, { out, err }: Say) {
  const options = parseDeployOptions(argv, env, invocation);
  const dashboards = readDashboards(options.dir, invocation);
  const build = invocation.suggest('build');
  const alertGroups = options.alerts ? readAlertRuleFile(options.alerts.file, build) : [];
  const http = new GrafanaHttp({
    baseUrl: options.url,
    credentials: options.credentials,
    timeoutMs: options.timeoutMs,
    retry: io.retry ?? defaultRetry,
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
  const report = await deploy(http, dashboards, options.plan);
  const lines = formatReport(report, options.url).slice(0, -1);
  const errors = report.ok ? [] : [`error: ${report.stopped ?? 'some dashboards were not saved'} (see above)`];
  let ok = report.ok;
  let alerts: AlertDeployReport | undefined;
  if (options.alerts && !report.stopped) {
    const plan = { dryRun: options.plan.dryRun, editable: options.alerts.editable };
    alerts = await deployAlertRules(http, alertGroups, plan);
    lines.push(...formatAlertReport(alerts, options.plan.dryRun));
    if (alerts.stopped) lines.push(`stopped: ${alerts.stopped}`);
    if (!alerts.ok) errors.push(`error: ${alerts.stopped ?? 'some alert rule groups were not saved'} (see above)`);
    ok &&= alerts.ok;
  }
  const groups = options.alerts ? { groups: alertGroups.length, ...(alerts ? { report: alerts } : {}) } : undefined;
  lines.push(summaryLine(report, groups));
  for (const line of lines.map((text) => redact(text, secretsOf(options.credentials)))) out(line);
  for (const line of errors) err(line);
  return ok ? exitCodes.ok : exitCodes.failed;
}
