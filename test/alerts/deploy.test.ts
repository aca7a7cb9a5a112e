/**
 * `npm run deploy -- --alerts` in-process: the Grafana-managed rule groups of the built provisioning file go through
 * the alerting provisioning API of a local server that answers like Grafana's, idempotently and respecting provenance.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { grafanaAlertingFiles } from '../../alerts';
import { resolveConfig } from '../../config';
import { runDeployCli, type Environment } from '../../deploy/command';
import { renderArtifacts } from '../../build/render';
import { startFakeGrafana, type FakeGrafana } from '../helpers/fake-grafana';

const token = 'glsa_alertRulesToken_0123456789abcdef';
const env: Environment = { GRAFANA_TOKEN: token };
const root = join(import.meta.dirname, '../..');
const ajv = new Ajv({ strict: false, validateFormats: false });
ajv.addSchema(
  JSON.parse(readFileSync(join(root, 'test/schemas/alerting.jsonschema.json'), 'utf8')) as object,
  'alerting',
);
const validateGroup = ajv.getSchema('alerting#/definitions/RuleGroup')!;

let dir: string;
let alertsFile: string;
let groups: Array<{ name: string; folder: string; rules: Array<{ uid: string; for: string }> }>;
const servers: FakeGrafana[] = [];
let printed: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-alerts-'));
  const config = resolveConfig({ alerts: { grafana: { prometheusDatasourceUid: 'prom', lokiDatasourceUid: 'loki' } } });
  for (const [path, content] of renderArtifacts(config)) {
    if (path.startsWith('grafana/')) writeFileSync(join(dir, path.split('/').pop()!), content);
  }
  alertsFile = join(dir, 'flux-alerts.yaml');
  const provisioning = renderArtifacts(config).get(grafanaAlertingFiles.provisioning)!;
  writeFileSync(alertsFile, provisioning);
  groups = (parse(provisioning) as { groups: typeof groups }).groups;
});

afterEach(async () => {
  const lines = printed;
  printed = [];
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const line of lines) expect(line).not.toContain(token);
});

async function grafana() {
  const server = await startFakeGrafana({ token });
  servers.push(server);
  return server;
}

async function run(args: string[]) {
  const result = { code: -1, out: [] as string[], err: [] as string[], sleeps: [] as number[] };
  result.code = await runDeployCli(['--dir', dir, '--alerts-file', alertsFile, ...args], env, {
    out: (line) => result.out.push(line),
    err: (line) => result.err.push(line),
    sleep: async (ms) => void result.sleeps.push(ms),
  });
  printed.push(...result.out, ...result.err);
  return { ...result, text: [...result.out, ...result.err].join('\n') };
}

const groupPuts = (server: FakeGrafana) => server.writes().filter((request) => request.path.includes('/rule-groups/'));
const flux = 'flux';

describe('deploying the Grafana-managed rule groups', () => {
  it('creates the folder once, then PUTs each group with every rule, valid for Grafana, provenance api', async () => {
    const server = await grafana();
    const result = await run(['--url', server.url]);
    expect(result.code, result.text).toBe(0);
    expect(server.writes().filter((request) => request.path === '/api/folders')).toHaveLength(1);
    const folderUid = [...server.folders.keys()][0]!;
    const puts = groupPuts(server);
    expect(puts.map((request) => request.path)).toEqual(
      groups.map((group) => `/api/v1/provisioning/folder/${folderUid}/rule-groups/${group.name}`),
    );
    for (const [index, put] of puts.entries()) {
      expect(validateGroup(put.body), JSON.stringify(validateGroup.errors)).toBe(true);
      expect(put.disableProvenance).toBeUndefined();
      expect(server.rulesOf(folderUid, groups[index]!.name).map((rule) => rule.uid)).toEqual(
        groups[index]!.rules.map((rule) => rule.uid),
      );
    }
    expect([...server.alertRules.values()].every((rule) => rule.provenance === 'api')).toBe(true);
    expect(result.text).toContain(`alert rule group ${flux} (${groups[0]!.rules.length} rules): created`);
  });

  it('a second run reads each group and writes nothing', async () => {
    const server = await grafana();
    expect((await run(['--url', server.url])).code).toBe(0);
    const before = server.writes().length;
    const again = await run(['--url', server.url]);
    expect(again.code, again.text).toBe(0);
    expect(server.writes().length).toBe(before);
    expect(again.text).toContain(`alert rule group ${flux} (${groups[0]!.rules.length} rules): unchanged, left alone`);
  });

  it('dry run writes nothing and says the groups would be created', async () => {
    const server = await grafana();
    const result = await run(['--url', server.url, '--dry-run']);
    expect(result.code, result.text).toBe(0);
    expect(server.writes()).toEqual([]);
    expect(result.text).toContain('alert folder "Flux": would be created');
    expect(result.text).toContain(`alert rule group flux-logs (${groups[1]!.rules.length} rules): would be created`);
  });

  it('updates a group whose rule changed in Grafana and removes a rule that is not ours, saying which', async () => {
    const server = await grafana();
    expect((await run(['--url', server.url])).code).toBe(0);
    const folderUid = [...server.folders.keys()][0]!;
    const first = groups[0]!.rules[0]!.uid;
    server.alertRules.get(first)!.for = '1h';
    server.addAlertRule({ uid: 'someone-elses', folderUID: folderUid, ruleGroup: flux, provenance: 'api' });
    const dry = await run(['--url', server.url, '--dry-run']);
    expect(dry.text).toContain(
      `alert rule group ${flux} (${groups[0]!.rules.length} rules): would change; would remove someone-elses`,
    );
    const result = await run(['--url', server.url]);
    expect(result.code, result.text).toBe(0);
    expect(server.alertRules.get(first)!.for).toBe(groups[0]!.rules[0]!.for);
    expect(server.alertRules.has('someone-elses')).toBe(false);
    expect(result.text).toContain('updated; removed someone-elses');
  });

  it('--alerts-editable sends X-Disable-Provenance; a later run without it takes the rules over', async () => {
    const server = await grafana();
    const editable = await run(['--url', server.url, '--alerts-editable']);
    expect(editable.code, editable.text).toBe(0);
    expect(groupPuts(server).every((request) => request.disableProvenance === 'true')).toBe(true);
    expect([...server.alertRules.values()].every((rule) => rule.provenance === '')).toBe(true);
    const locked = await run(['--url', server.url]);
    expect(locked.code, locked.text).toBe(0);
    expect(locked.text).toContain(`alert rule group ${flux} (${groups[0]!.rules.length} rules): updated`);
    expect([...server.alertRules.values()].every((rule) => rule.provenance === 'api')).toBe(true);
  });

  it('refuses what Grafana refuses: dropping provenance api, or overwriting a file-provisioned rule', async () => {
    const server = await grafana();
    expect((await run(['--url', server.url])).code).toBe(0);
    const before = groupPuts(server).length;
    const drop = await run(['--url', server.url, '--alerts-editable']);
    expect(drop.code).toBe(1);
    expect(drop.text).toMatch(/saved with provenance "api": --alerts-editable cannot drop it/);
    expect(groupPuts(server)).toHaveLength(before);

    const other = await grafana();
    const folderUid = other.addFolder('Flux');
    other.addAlertRule({ uid: groups[0]!.rules[0]!.uid, folderUID: folderUid, ruleGroup: flux, provenance: 'file' });
    const file = await run(['--url', other.url]);
    expect(file.code).toBe(1);
    expect(file.text).toContain(`alert rule group ${flux} (${groups[0]!.rules.length} rules): FAILED:`);
    expect(file.text).toContain('is provisioned from a file in Grafana');
    expect(file.text).toContain('alert rule group flux-logs');
    expect(other.rulesOf(folderUid, 'flux-logs').length).toBe(groups[1]!.rules.length);
  });

  it('retries a 503 on the group like any request, and stops on 403 naming the permission', async () => {
    const server = await grafana();
    server.fail({ method: 'PUT', path: /rule-groups\/flux$/, times: 2, status: 503 });
    const result = await run(['--url', server.url]);
    expect(result.code, result.text).toBe(0);
    expect(result.sleeps).toEqual([500, 1000]);
    expect(server.rulesOf([...server.folders.keys()][0]!, flux)).toHaveLength(groups[0]!.rules.length);

    const viewer = await startFakeGrafana({ token, role: 'Viewer' });
    servers.push(viewer);
    viewer.addFolder('Flux');
    const said: string[] = [];
    const say = (line: string) => void said.push(line);
    const denied = await runDeployCli(
      ['--url', viewer.url, '--dir', dir, '--api', 'legacy', '--alerts-file', alertsFile],
      env,
      { out: say, err: say },
    );
    expect(denied).toBe(1);
    expect(said.join('\n')).toContain('alert.rules:write');
    expect(viewer.writes().filter((request) => request.path.includes('/rule-groups/'))).toEqual([]);
  });

  it('a missing or foreign alerts file is bad input: exit 2, one line, no request', async () => {
    const server = await grafana();
    const missing = await runDeployCli(
      ['--url', server.url, '--dir', dir, '--alerts-file', join(dir, 'nope.yaml')],
      env,
      {
        out: (line) => printed.push(line),
        err: (line) => printed.push(line),
      },
    );
    expect(missing).toBe(2);
    expect(printed.at(-1)).toMatch(
      /^error: .*nope\.yaml: no such file: run `npx flux-dashboards build` first, or pass --alerts-file$/,
    );
    const foreign = join(dir, 'foreign.yaml');
    writeFileSync(foreign, 'groups: []\n');
    expect(
      await runDeployCli(['--url', server.url, '--dir', dir, '--alerts-file', foreign], env, {
        out: () => {},
        err: (line) => printed.push(line),
      }),
    ).toBe(2);
    expect(printed.at(-1)).toContain('is not a Grafana alerting provisioning file');
    expect(server.requests).toEqual([]);
  });
});
