/**
 * What the deploy command says: its summary counts the alert rule groups too, a conflict shared by many rules is one
 * sentence, advice names the build command as the user runs it, and `--help` says where Grafana's address comes from.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { grafanaAlertingFiles } from '../../alerts';
import { renderArtifacts } from '../../build/render';
import { packageInvocation, repositoryInvocation, type Invocation } from '../../cli/command';
import { resolveConfig } from '../../config';
import { deployUsage, readDashboards, runDeployCli, type Environment } from '../../deploy/command';
import { startFakeGrafana, type FakeGrafana } from '../helpers/fake-grafana';

const token = 'glsa_deployCommandToken_0123456789abcdef';
const env: Environment = { GRAFANA_TOKEN: token };
let dir: string;
let alertsFile: string;
let groups: Array<{ name: string; rules: Array<{ uid: string }> }>;
const servers: FakeGrafana[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-command-'));
  const config = resolveConfig({ alerts: { grafana: { prometheusDatasourceUid: 'prom', lokiDatasourceUid: 'loki' } } });
  const artifacts = renderArtifacts(config);
  for (const [path, content] of artifacts) {
    if (path.startsWith('grafana/')) writeFileSync(join(dir, path.split('/').pop()!), content);
  }
  alertsFile = join(dir, 'flux-alerts.yaml');
  writeFileSync(alertsFile, artifacts.get(grafanaAlertingFiles.provisioning)!);
  groups = (parse(readFileSync(alertsFile, 'utf8')) as { groups: typeof groups }).groups;
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function grafana() {
  const server = await startFakeGrafana({ token });
  servers.push(server);
  return server;
}

async function run(args: string[], invocation: Invocation = packageInvocation) {
  const result = { code: -1, out: [] as string[], err: [] as string[] };
  result.code = await runDeployCli(
    ['--dir', dir, ...args],
    env,
    {
      out: (line) => result.out.push(line),
      err: (line) => result.err.push(line),
      sleep: async () => {},
    },
    invocation,
  );
  return { ...result, text: [...result.out, ...result.err].join('\n') };
}

const dashboardCount = () => readDashboards(dir).length;

describe('the summary line', () => {
  it('counts the alert rule groups that failed', async () => {
    const server = await grafana();
    server.fail({ method: 'PUT', path: /\/rule-groups\/flux$/, times: 4, status: 500 });
    const result = await run(['--url', server.url, '--alerts-file', alertsFile]);
    expect(result.code).toBe(1);
    const saved = groups.length - 1;
    expect(result.out.at(-1)).toBe(
      `summary: dashboards ${dashboardCount()} saved, 0 unchanged, 0 not saved; ` +
        `alert rule groups ${saved} saved, 0 unchanged, 1 not saved (failed)`,
    );
  });

  it('counts the groups never tried when the dashboards stopped the run', async () => {
    const server = await grafana();
    server.fail({ path: /^\/api\/folders$/, times: 1, status: 403 });
    const result = await run(['--url', server.url, '--alerts-file', alertsFile]);
    expect(result.code).toBe(1);
    expect(result.out.at(-1)).toBe(
      `summary: dashboards 0 saved, 0 unchanged, ${dashboardCount()} not saved; ` +
        `alert rule groups 0 saved, 0 unchanged, ${groups.length} not saved (failed)`,
    );
  });
});

it('--alerts-editable over rules saved with provenance: one sentence naming how many rules', async () => {
  const server = await grafana();
  expect((await run(['--url', server.url, '--alerts-file', alertsFile])).code).toBe(0);
  const result = await run(['--url', server.url, '--alerts-file', alertsFile, '--alerts-editable']);
  expect(result.code).toBe(1);
  const [failed] = result.out.filter((line) => line.startsWith(`alert rule group ${groups[0]!.name} (`));
  const count = groups[0]!.rules.length;
  const first = groups[0]!.rules
    .slice(0, 3)
    .map((rule) => rule.uid)
    .join(', ');
  expect(failed).toBe(
    `alert rule group ${groups[0]!.name} (${count} rules): FAILED: ${count} rules (${first} and ${count - 3} more) ` +
      'were saved with provenance "api": --alerts-editable cannot drop it; deploy without it, ' +
      'or delete the rule in Grafana first',
  );
  expect(failed!.match(/--alerts-editable cannot drop it/g)).toHaveLength(1);
});

describe('advice names the build as the user runs it', () => {
  const empty = () => mkdtempSync(join(tmpdir(), 'deploy-empty-'));
  it.each([
    [packageInvocation, '`npx flux-dashboards build`'],
    [repositoryInvocation, '`npm run build`'],
  ])('%#: no dashboards, and no alerts file', async (invocation, build) => {
    const folder = empty();
    expect(() => readDashboards(folder, invocation)).toThrow(
      `${folder} holds no .json dashboards: build them first (${build}), or pass --dir`,
    );
    const missing = join(folder, 'flux-alerts.yaml');
    const result = await run(['--url', 'http://127.0.0.1:1', '--alerts-file', missing], invocation);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([`error: ${missing}: no such file: run ${build} first, or pass --alerts-file`]);
  });

  it('the usage line is the command as it was run', async () => {
    const result = await run(['--frobnicate'], repositoryInvocation);
    expect(result.err).toEqual([
      expect.stringMatching(/^error: unknown option --frobnicate; usage: npm run deploy -- /),
    ]);
  });
});

describe('--help', () => {
  const help = deployUsage('flux-dashboards deploy');
  it('shows --url as optional, and where else the address comes from', () => {
    expect(help.split('\n')[0]).toMatch(/^usage: flux-dashboards deploy \[--url URL\] /);
    expect(help).toContain("Grafana's address comes from --url, else GRAFANA_URL, else alerts.grafanaUrl of --config");
  });

  it('names the environment and the exit codes', () => {
    for (const name of ['GRAFANA_TOKEN', 'GRAFANA_USER', 'GRAFANA_PASSWORD', 'FLUX_DASHBOARDS_DEBUG']) {
      expect(help).toContain(name);
    }
    expect(help).toMatch(/Exit codes: 0 .*; 1 .*; 2 bad input/);
  });
});
