/**
 * The deploy command (`flux-dashboards deploy`, `npm run deploy`): builds the dashboards of --config in memory, or
 * reads a built folder (and, with --alerts, the Grafana-managed alert rules), and puts them into a Grafana, with
 * credentials from the environment.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { provisioningGroups } from '../alerts';
import { buildManifestFile, configFingerprint, manifestFingerprint } from '../build/folder-ownership';
import { renderArtifacts } from '../build/render';
import { dashboardV2Resources } from '../dashboards';
import { ConfigError, defaultConfig, readConfig, type Config } from '../config';
import { parseFlags, positiveNumber } from '../cli/arguments';
import {
  debugVariable, errorLine, exitCodes, packageInvocation, UsageError, type CommandIo, type Environment,
  type Invocation,
} from '../cli/command';
import { dashboardApiGroup } from '../model/grafana-api';
import { defaultOutDir, outputFiles, outputFolders } from '../model/outputs';
import {
  AlertFileError, deployAlertRules, formatAlertReport, readAlertRuleFile, type AlertDeployReport, type FileRuleGroup,
} from './alert-rules';
import { deploy, type DashboardOutcome, type DeployPlan, type DeployReport } from './deploy';
import type { ApiChoice, Dashboard, DashboardModel, DashboardV2Resource } from './grafana-api';
import { describeUrl, GrafanaHttp, redact, secretsOf, type Credentials, type RetryPolicy } from './http';

export { UsageError, type Environment } from '../cli/command';

/** Where `npm run build` puts the dashboards when given no other folder. */
export const defaultDashboardsDir = join(defaultOutDir, outputFolders.dashboards);

/** The provisioning file `npm run build` writes for Grafana-managed rules. */
export const defaultAlertsFile = `${defaultOutDir}/${outputFiles.grafanaAlertProvisioning}`;

export const deployUsage = (program: string) => `usage: ${program} [--url URL] [--config FILE] [--folder TITLE]
         [--dry-run] [--replace] [--api auto|legacy|resource] [--model classic|v2] [--dir FOLDER] [--namespace NS]
         [--timeout SECONDS] [--message TEXT] [--alerts] [--alerts-file FILE] [--alerts-editable]
Puts the dashboards that --config builds (built in memory), or the built ones in FOLDER (default
${defaultDashboardsDir}), into one Grafana folder over its HTTP API.
Grafana's address comes from --url, else GRAFANA_URL, else alerts.grafanaUrl of --config: one of them is needed.
  --url URL          Grafana's address, e.g. https://grafana.example.com
  --config FILE      the configuration: its dashboards (and alert rules) are built and deployed; the folder from
                     packaging.folder, the URL from alerts.grafanaUrl
  --folder TITLE     the Grafana folder (default packaging.folder of --config, else ${defaultConfig.packaging.folder})
  --dry-run          say what would be created, changed, replaced, moved or left alone, and write nothing
  --replace          replace dashboards under our uids that flux-dashboards did not deploy (the official Flux
                     dashboards use the same uids), and move ours from other folders; without it, nothing is written
  --api              auto (ask /api/health: 13 and later v2 or v1, 12 v1beta1, older legacy), legacy
                     (/api/dashboards) or resource (dashboard.grafana.app in the version Grafana serves)
  --model            v2 (default on Grafana 13 and later) or classic, the dashboard model sent to Grafana 13
  --dir FOLDER       built dashboards (classic *.json, v2 resources); with --config, built from that configuration
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
  /** The built folder to read, or undefined: build in memory from `config`. */
  dir: string | undefined;
  /** The configuration given with --config, resolved, and its file. */
  config?: { path: string; value: Config };
  plan: DeployPlan;
  timeoutMs: number;
  /** Grafana-managed rule groups to push after the dashboards, from a provisioning file. */
  alerts?: { file: string | undefined; editable: boolean };
}

const apiChoices: readonly ApiChoice[] = ['auto', 'legacy', 'resource'];
const models: readonly DashboardModel[] = ['classic', 'v2'];

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

/** The configuration, read, checked and resolved as the build reads it; a bad file is bad input. */
function configFile(path: string | undefined): Config | undefined {
  if (path === undefined) return undefined;
  try {
    return readConfig(path);
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
  replace: { type: 'boolean' },
  api: { type: 'string', value: 'auto|legacy|resource' },
  model: { type: 'string', value: 'classic|v2' },
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
  const urlText = values.url ?? env.GRAFANA_URL ?? config?.alerts.grafanaUrl ?? undefined;
  if (!urlText) {
    throw new UsageError(`no Grafana address: pass --url, set GRAFANA_URL or alerts.grafanaUrl in --config; ${usage}`);
  }
  const url = parseGrafanaUrl(urlText);
  const api = (values.api ?? 'auto') as ApiChoice;
  if (!apiChoices.includes(api)) {
    throw new UsageError(`--api must be one of ${apiChoices.join(', ')}, not "${values.api}"`);
  }
  const model = values.model as DashboardModel | undefined;
  if (model !== undefined && !models.includes(model)) {
    throw new UsageError(`--model must be one of ${models.join(', ')}, not "${values.model}"`);
  }
  if (model === 'v2' && api === 'legacy') {
    throw new UsageError('--model v2 needs the resource API of Grafana 13: leave out --api legacy');
  }
  const timeoutSeconds = positiveNumber('timeout', values.timeout ?? '30', 'seconds');
  const folderTitle = values.folder ?? config?.packaging.folder ?? defaultConfig.packaging.folder;
  if (!folderTitle.trim()) throw new UsageError('--folder must not be empty');
  const withAlerts = values.alerts || values['alerts-file'] !== undefined || values['alerts-editable'];
  // Built in memory, the alert rules come with the dashboards; from a folder, from the provisioning file.
  const inMemory = config !== undefined && values.dir === undefined;
  const alertsPath = values['alerts-file'] ?? (inMemory ? undefined : defaultAlertsFile);
  const alertsFile = alertsPath === undefined ? undefined : resolve(alertsPath);
  const alerts = { file: alertsFile, editable: values['alerts-editable'] ?? false };
  return {
    url,
    credentials: credentialsFrom(env),
    ...(withAlerts ? { alerts } : {}),
    dir: inMemory ? undefined : resolve(values.dir ?? defaultDashboardsDir),
    ...(config ? { config: { path: values.config!, value: config } } : {}),
    timeoutMs: timeoutSeconds * 1000,
    plan: {
      folderTitle,
      api,
      ...(model ? { model } : {}),
      namespace: values.namespace ?? 'default',
      dryRun: values['dry-run'] ?? false,
      message: values.message ?? 'flux-dashboards deploy',
      replace: values.replace ?? false,
    },
  };
}

/**
 * The v2 resources of the configuration's dashboards. The dashboards module makes them (`dashboardV2Resources`);
 * until it does, there are none, and Grafana 13 gets the classic model.
 */

const isV2Resource = (json: Record<string, unknown>): json is DashboardV2Resource & Record<string, unknown> =>
  json.apiVersion === `${dashboardApiGroup}/v2` && json.kind === 'Dashboard' &&
  typeof (json.metadata as Record<string, unknown> | undefined)?.name === 'string';

/** What deploy puts into Grafana: the classic dashboards and the v2 resources, and where they came from. */
export interface DeploySources {
  dashboards: Dashboard[];
  v2: DashboardV2Resource[];
  /** The alert rules' provisioning file as the in-memory build wrote it, when built in memory. */
  alertRules?: string;
}

/** Everything the configuration builds, in memory: the dashboards' files as `build` writes them, and the v2 ones. */
export function buildSources(config: Config): DeploySources {
  const artifacts = renderArtifacts(config);
  const dashboards = [...artifacts]
    .filter(([path]) => path.startsWith(`${outputFolders.dashboards}/`) && path.endsWith('.json'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, content]) => JSON.parse(content) as Dashboard);
  const alertRules = artifacts.get(outputFiles.grafanaAlertProvisioning);
  return { dashboards, v2: dashboardV2Resources(config), ...(alertRules === undefined ? {} : { alertRules }) };
}

/**
 * The folder's build manifest: the nearest `.flux-dashboards-manifest.json` at or above it that lists a file of the
 * folder (the build writes it into its output folder, the dashboards one level down).
 */
function manifestOf(dir: string): string | undefined {
  for (let folder = dir; ; folder = dirname(folder)) {
    const path = join(folder, buildManifestFile);
    if (existsSync(path)) {
      const prefix = relative(folder, dir);
      try {
        const files = (JSON.parse(readFileSync(path, 'utf8')) as { files?: unknown }).files;
        const lists = Array.isArray(files) && files.some((file) => typeof file === 'string' &&
          (prefix === '' ? !file.includes('/') : file.startsWith(`${prefix}/`)));
        if (lists) return path;
      } catch {
        // Not a manifest of ours: look further up.
      }
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/** --dir with --config: the folder must have been built from that configuration, as its manifest records. */
export function checkBuiltFrom(dir: string, config: { path: string; value: Config }, invocation: Invocation): void {
  const manifest = manifestOf(dir);
  const recorded = manifest ? manifestFingerprint(manifest) : undefined;
  if (recorded === configFingerprint(config.value)) return;
  // `npm run build` takes its options after `--`, `npx flux-dashboards build` directly.
  const build = invocation.program('build').endsWith(' --') ? invocation.program('build') : invocation.suggest('build');
  const rebuild = `build it again (\`${build} --config ${config.path}\`)`;
  const advice = `${rebuild}, or leave out --dir to deploy what ${config.path} builds`;
  if (recorded === undefined) {
    throw new UsageError(`cannot tell which configuration built ${dir} (its build manifest records none): ${advice}`);
  }
  throw new UsageError(`${dir} was built from another configuration than ${config.path}: ${advice}`);
}

/** The classic dashboards of the folder; see `readBuiltFolder`. */
export const readDashboards = (dir: string, invocation: Invocation = packageInvocation): Dashboard[] =>
  readBuiltFolder(dir, invocation).dashboards;

/**
 * Every `*.json` of the folder, each a classic dashboard with a uid and a title or a v2 dashboard resource; the advice
 * names the build as it is run.
 */
export function readBuiltFolder(dir: string, invocation: Invocation = packageInvocation): DeploySources {
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
  const sources: DeploySources = { dashboards: [], v2: [] };
  for (const name of names) {
    const path = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new UsageError(`${path} is not valid JSON: build it again (${build})`);
    }
    const object = (json ?? {}) as Record<string, unknown>;
    if (typeof json === 'object' && !Array.isArray(json) && isV2Resource(object)) {
      sources.v2.push(object);
      continue;
    }
    const { uid, title } = object;
    const isDashboard = typeof json === 'object' && !Array.isArray(json) && typeof uid === 'string' && uid !== '';
    if (!isDashboard || typeof title !== 'string') {
      throw new UsageError(`${path} is not a Grafana dashboard (it needs a string "uid" and "title")`);
    }
    sources.dashboards.push(json as Dashboard);
  }
  return sources;
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

/** What saving does to a dashboard someone else put there, or that sat in another folder. */
function takeoverWords(outcome: DashboardOutcome, { dryRun, replace }: DeployReport): string {
  const takeover = 'takeover' in outcome ? outcome.takeover : undefined;
  if (!takeover) return '';
  const parts = [
    takeover.foreign ? `${dryRun ? 'would replace' : 'replaced'} a dashboard flux-dashboards did not deploy` : '',
    takeover.movedFrom ? `${dryRun ? 'would move' : 'moved'} from folder "${takeover.movedFrom}"` : '',
  ].filter(Boolean);
  return `; ${parts.join(', ')}${dryRun && !replace ? ' (needs --replace)' : ''}`;
}

export function formatReport(report: DeployReport, url: URL): string[] {
  const lines: string[] = [];
  const api = report.api ? `, ${report.api} API` : '';
  const version = report.grafanaVersion ? ` ${report.grafanaVersion}` : '';
  const model = report.model ? ` (${report.model} model)` : '';
  const dry = report.dryRun ? 'dry run (nothing is written): ' : '';
  lines.push(`${dry}Grafana${version} at ${describeUrl(url)}${api}${model}`);
  if (report.modelNote) lines.push(`note: sending ${report.modelNote}`);
  const folderUid = report.folder.uid ? ` (uid ${report.folder.uid})` : '';
  lines.push(`folder "${report.folder.title}": ${report.folder.state}${folderUid}`);
  for (const outcome of report.dashboards) {
    const name = `${outcome.uid} (${outcome.title})`;
    if (outcome.change === 'failed') lines.push(`${name}: FAILED: ${outcome.error}`);
    else if (outcome.change === 'not attempted') lines.push(`${name}: not saved`);
    else {
      const version = outcome.saved && outcome.version ? `, version ${outcome.version}` : '';
      const takeover = takeoverWords(outcome, report);
      lines.push(`${name}: ${changeWords[outcome.change][report.dryRun ? 'dry' : 'done']}${version}${takeover}`);
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

/** The rule groups: from --alerts-file (or the build's default file), else from what --config built in memory. */
function alertRuleGroups(options: DeployOptions, sources: DeploySources, build: string): FileRuleGroup[] {
  if (options.alerts?.file !== undefined) return readAlertRuleFile(options.alerts.file, build);
  const config = options.config!.path;
  if (sources.alertRules === undefined) {
    const advice = 'set alerts.grafana in it, or leave out --alerts';
    throw new AlertFileError(`${config} builds no Grafana-managed alert rules: ${advice}`);
  }
  return provisioningGroups(parseYaml(sources.alertRules), `the alert rules of ${config}`, build);
}

async function deployWith(argv: string[], env: Environment, io: DeployIo, invocation: Invocation, { out, err }: Say) {
  const options = parseDeployOptions(argv, env, invocation);
  const build = invocation.suggest('build');
  if (options.dir !== undefined && options.config) checkBuiltFrom(options.dir, options.config, invocation);
  const sources = options.dir === undefined
    ? buildSources(options.config!.value)
    : readBuiltFolder(options.dir, invocation);
  const alertGroups = options.alerts ? alertRuleGroups(options, sources, build) : [];
  const http = new GrafanaHttp({
    baseUrl: options.url,
    credentials: options.credentials,
    timeoutMs: options.timeoutMs,
    retry: io.retry ?? defaultRetry,
    ...(io.sleep ? { sleep: io.sleep } : {}),
  });
  // Grafana answered, but writing would take over dashboards, or send a model it cannot take: nothing was written.
  const report = await deploy(http, sources.dashboards, options.plan, sources.v2);
  if (report.refused) {
    err(`error: ${report.refused}`);
    return exitCodes.badInput;
  }
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
