/** `npm run deploy`: reads the built dashboards and puts them into a Grafana, with credentials from the environment. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, defaultConfig, loadConfigFile, type ConfigInput } from '../config';
import { defaultOutDir, outputFiles, outputFolders } from '../model/outputs';
import {
  AlertFileError, deployAlertRules, formatAlertReport, readAlertRuleFile, type FileRuleGroup,
} from './alert-rules';
import { deploy, type DeployPlan, type DeployReport } from './deploy';
import type { ApiChoice, Dashboard } from './grafana-api';
import { describeUrl, GrafanaHttp, redact, secretsOf, type Credentials, type RetryPolicy } from './http';

/** Where `npm run build` puts the dashboards when given no other folder. */
export const defaultDashboardsDir = join(defaultOutDir, outputFolders.dashboards);

/** The provisioning file `npm run build` writes for Grafana-managed rules. */
export const defaultAlertsFile = `${defaultOutDir}/${outputFiles.grafanaAlertProvisioning}`;

export const deployUsage = (program: string) => `usage: ${program} --url URL [--config FILE] [--folder TITLE]
         [--dry-run] [--api auto|legacy|resource] [--dir FOLDER] [--namespace NS] [--timeout SECONDS]
         [--alerts] [--alerts-file FILE] [--alerts-editable]
Puts the built dashboards (FOLDER/*.json, default ${defaultDashboardsDir}) into one Grafana folder over its HTTP API.
  --url URL          Grafana's address; else GRAFANA_URL, else alerts.grafanaUrl of --config
  --config FILE      the build's configuration: the folder from packaging.folder, the URL from alerts.grafanaUrl
  --folder TITLE     the Grafana folder (default packaging.folder of --config, else ${defaultConfig.packaging.folder})
  --dry-run          say what would be created, changed or left alone, and write nothing
  --api              auto (ask /api/health), legacy (/api/dashboards) or resource (Grafana 12 and later)
  --namespace NS     resource API namespace (default "default"; org-<id>, stacks-<id> on Grafana Cloud)
  --timeout SECONDS  bound of each request (default 30)
  --alerts           also the Grafana-managed alert rules (--alerts-file, default ${defaultAlertsFile});
                     --alerts-editable lets them be edited in Grafana's UI
  --help             this text
Credentials from the environment: GRAFANA_TOKEN (service-account token), or GRAFANA_USER and GRAFANA_PASSWORD.`;

export const usage = deployUsage('npm run deploy --');

/** Bad input, caught before any request. */
export class UsageError extends Error {}

export interface DeployOptions {
  url: URL;
  credentials: Credentials;
  dir: string;
  plan: DeployPlan;
  timeoutMs: number;
  /** Grafana-managed rule groups to push after the dashboards, from a provisioning file. */
  alerts?: { file: string; editable: boolean };
}

export type Environment = Record<string, string | undefined>;

const apiChoices: readonly ApiChoice[] = ['auto', 'legacy', 'resource'];

export function parseGrafanaUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url "${text}" is not a URL: give Grafana's address, e.g. https://grafana.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be http:// or https://, not ${url.protocol}//`);
  if (url.username || url.password) throw new UsageError('--url must not carry credentials: set GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD');
  if (url.search || url.hash) throw new UsageError(`--url must be Grafana's root address without ?query or #fragment, e.g. ${url.origin}${url.pathname}`);
  return url;
}

export function credentialsFrom(env: Environment): Credentials {
  if (env.GRAFANA_TOKEN) return { kind: 'token', token: env.GRAFANA_TOKEN };
  if (env.GRAFANA_USER && env.GRAFANA_PASSWORD) return { kind: 'basic', user: env.GRAFANA_USER, password: env.GRAFANA_PASSWORD };
  if (env.GRAFANA_USER || env.GRAFANA_PASSWORD) throw new UsageError('set both GRAFANA_USER and GRAFANA_PASSWORD, or GRAFANA_TOKEN instead');
  throw new UsageError('no credentials: set GRAFANA_TOKEN to a service-account token (or GRAFANA_USER and GRAFANA_PASSWORD)');
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

export function parseDeployOptions(argv: string[], env: Environment, program = 'npm run deploy --'): DeployOptions {
  const usage = deployUsage(program).split('\n')[0];
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        config: { type: 'string' },
        folder: { type: 'string' },
        'dry-run': { type: 'boolean' },
        api: { type: 'string' },
        dir: { type: 'string' },
        namespace: { type: 'string' },
        timeout: { type: 'string' },
        message: { type: 'string' },
        alerts: { type: 'boolean' },
        'alerts-file': { type: 'string' },
        'alerts-editable': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error instanceof Error ? error.message : String(error)).split('. ')[0]}; ${usage}`);
  }
  const config = configFile(values.config);
  // Flags win, then the environment, then the configuration file.
  const urlText = values.url ?? env.GRAFANA_URL ?? config.alerts?.grafanaUrl;
  if (!urlText) {
    throw new UsageError(`no Grafana address: pass --url, set GRAFANA_URL or alerts.grafanaUrl in --config; ${usage}`);
  }
  const url = parseGrafanaUrl(urlText);
  const api = (values.api ?? 'auto') as ApiChoice;
  if (!apiChoices.includes(api)) throw new UsageError(`--api must be one of ${apiChoices.join(', ')}, not "${values.api}"`);
  const timeoutSeconds = Number(values.timeout ?? 30);
  if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not "${values.timeout}"`);
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

const buildFirst = 'build them first (`npx flux-dashboards build`), or pass --dir';

/** Every `*.json` of the folder, each a dashboard with a uid and a title. */
export function readDashboards(dir: string): Dashboard[] {
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
      throw new UsageError(`${path} is not valid JSON: build it again (\`npx flux-dashboards build\`)`);
    }
    const { uid, title } = (json ?? {}) as Record<string, unknown>;
    if (typeof json !== 'object' || Array.isArray(json) || typeof uid !== 'string' || !uid || typeof title !== 'string') {
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
  const count = (test: (outcome: DeployReport['dashboards'][number]) => boolean) => report.dashboards.filter(test).length;
  const unchanged = count((outcome) => outcome.change === 'unchanged');
  const failed = count((outcome) => outcome.change === 'failed');
  const notAttempted = count((outcome) => outcome.change === 'not attempted');
  if (report.dryRun) {
    const created = count((outcome) => outcome.change === 'created');
    const changed = count((outcome) => outcome.change === 'changed');
    lines.push(`summary: ${created} would be created, ${changed} would change, ${unchanged} unchanged, ${failed + notAttempted} could not be checked`);
  } else {
    const saved = count((outcome) => outcome.saved);
    lines.push(`summary: ${saved} saved, ${unchanged} unchanged, ${failed + notAttempted} not saved${report.ok ? '' : ' (failed)'}`);
  }
  return lines;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Injected so that tests do not wait for real backoff. */
  sleep?: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
}

export const defaultRetry: RetryPolicy = { retries: 3, backoffMs: 500, maxDelayMs: 30_000 };

/** Runs the command and returns its exit code: 0 all saved or unchanged, 1 Grafana failed, 2 bad input. */
export async function runDeployCli(
  argv: string[], env: Environment, io: CliIo, program = 'npm run deploy --',
): Promise<number> {
  const secrets = [env.GRAFANA_TOKEN, env.GRAFANA_PASSWORD].filter((secret): secret is string => Boolean(secret));
  const say = (print: (line: string) => void) => (line: string) => print(redact(line, secrets));
  const out = say(io.out);
  const err = say(io.err);
  if (argv.includes('--help') || argv.includes('-h')) {
    out(deployUsage(program));
    return 0;
  }
  try {
    return await deployWith(argv, env, io, program, { out, err });
  } catch (error) {
    // Whatever went wrong, one line: a stack trace is no help to someone deploying dashboards.
    err(`error: ${firstLine(error)}`);
    return error instanceof UsageError || error instanceof AlertFileError ? 2 : 1;
  }
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

type Say = Record<'out' | 'err', (line: string) => void>;

async function deployWith(argv: string[], env: Environment, io: CliIo, program: string, { out, err }: Say) {
  const options = parseDeployOptions(argv, env, program);
  const dashboards = readDashboards(options.dir);
  const alertGroups: FileRuleGroup[] = options.alerts ? readAlertRuleFile(options.alerts.file) : [];
  const http = new GrafanaHttp({
    baseUrl: options.url,
    credentials: options.credentials,
    timeoutMs: options.timeoutMs,
    retry: io.retry ?? defaultRetry,
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
  const report = await deploy(http, dashboards, options.plan);
  const lines = formatReport(report, options.url);
  const errors = report.ok ? [] : [`error: ${report.stopped ?? 'some dashboards were not saved'} (see above)`];
  let ok = report.ok;
  if (options.alerts && !report.stopped) {
    const plan = { dryRun: options.plan.dryRun, editable: options.alerts.editable };
    const alerts = await deployAlertRules(http, alertGroups, plan);
    lines.splice(-1, 0, ...formatAlertReport(alerts, options.plan.dryRun));
    if (alerts.stopped) lines.push(`stopped: ${alerts.stopped}`);
    if (!alerts.ok) errors.push(`error: ${alerts.stopped ?? 'some alert rule groups were not saved'} (see above)`);
    ok &&= alerts.ok;
  }
  for (const line of lines.map((text) => redact(text, secretsOf(options.credentials)))) out(line);
  for (const line of errors) err(line);
  return ok ? 0 : 1;
}
