/**
 * Deploy against Grafana 11, 12 and 13 answers: each takes the API its version serves (legacy, v1beta1, v1 or v2),
 * a second run writes nothing on every path, a dashboard someone else put under one of our uids is replaced only
 * with --replace, and --config deploys what that configuration builds.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runBuildCli } from '../../build/command';
import { resolveConfig, type ConfigInput } from '../../config';
import { buildSources, runDeployCli, type Environment } from '../../deploy/command';
import { deploy, sameDashboard } from '../../deploy/deploy';
import { ownershipTag, withOwnershipTag, type Dashboard, type DashboardV2Resource } from '../../deploy/grafana-api';
import { GrafanaHttp } from '../../deploy/http';
import { startFakeGrafana, type FakeGrafana, type FakeGrafanaOptions } from '../helpers/fake-grafana';

const token = 'glsa_grafanaVersionsToken_0123456789abcdef';
const env: Environment = { GRAFANA_TOKEN: token };
const servers: FakeGrafana[] = [];
let classic: Dashboard[];
let v2: DashboardV2Resource[];
/** The classic dashboards alone, and with their v2 resources beside them, as built folders. */
let classicDir: string;
let bothDir: string;

beforeAll(() => {
  ({ dashboards: classic, v2 } = buildSources(resolveConfig()));
  classicDir = mkdtempSync(join(tmpdir(), 'deploy-versions-classic-'));
  bothDir = mkdtempSync(join(tmpdir(), 'deploy-versions-both-'));
  for (const dashboard of classic) {
    writeFileSync(join(classicDir, `${dashboard.uid}.json`), JSON.stringify(dashboard));
    writeFileSync(join(bothDir, `${dashboard.uid}.json`), JSON.stringify(dashboard));
  }
  for (const resource of v2)
    writeFileSync(join(bothDir, `${resource.metadata.name}.v2.json`), JSON.stringify(resource));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function grafana(options: FakeGrafanaOptions = {}) {
  const server = await startFakeGrafana({ token, ...options });
  servers.push(server);
  return server;
}

async function run(args: string[]) {
  const result = { code: -1, out: [] as string[], err: [] as string[] };
  result.code = await runDeployCli(args, env, {
    out: (line) => result.out.push(line),
    err: (line) => result.err.push(line),
    sleep: async () => {},
  });
  return { ...result, text: [...result.out, ...result.err].join('\n') };
}

const dashboardWrites = (server: FakeGrafana) =>
  server
    .writes()
    .filter((request) => !request.path.startsWith('/api/folders'))
    .map((request) => `${request.method} ${request.path}`);
const uids = () => classic.map((dashboard) => dashboard.uid);
/** On Grafana 13 the v2 run sends a dashboard the build made no v2 resource of (the runbooks) through v1. */
const hasV2 = (uid: string) => v2.some((resource) => resource.metadata.name === uid);
const pathOf = (uid: string, path: string) => (path === collection('v2') && !hasV2(uid) ? collection('v1') : path);
const modelOf = (uid: string, model: string) => (model === 'v2' && !hasV2(uid) ? 'classic' : model);
const collection = (version: string) => `/apis/dashboard.grafana.app/${version}/namespaces/default/dashboards`;

describe.each([
  { version: '11.6.3', dir: () => bothDir, api: 'legacy', model: 'classic', path: '/api/dashboards/db' },
  { version: '12.2.0', dir: () => bothDir, api: 'v1beta1', model: 'classic', path: collection('v1beta1') },
  { version: '13.0.1', dir: () => bothDir, api: 'v2', model: 'v2', path: collection('v2') },
  { version: '13.0.1', dir: () => classicDir, api: 'v1', model: 'classic', path: collection('v1') },
])('Grafana $version, dashboards of $api', ({ version, dir, api, model, path }) => {
  it('takes the API its version serves, and a second run writes nothing', async () => {
    const server = await grafana({ version });
    const first = await run(['--url', server.url, '--dir', dir()]);
    expect(first.code, first.text).toBe(0);
    expect(first.out[0]).toContain(`Grafana ${version} at ${server.url}/, ${api} API (${model} model)`);
    expect(dashboardWrites(server)).toEqual(uids().map((uid) => `POST ${pathOf(uid, path)}`));
    for (const uid of uids()) {
      expect(server.dashboards.get(uid)!.model).toBe(modelOf(uid, model));
      expect(server.dashboards.get(uid)!.spec.tags).toContain(ownershipTag);
    }
    const writes = server.writes().length;
    const second = await run(['--url', server.url, '--dir', dir()]);
    expect(second.code, second.text).toBe(0);
    expect(server.writes()).toHaveLength(writes);
    expect(second.out.at(-1)).toBe(`summary: 0 saved, ${uids().length} unchanged, 0 not saved`);
    const dry = await run(['--url', server.url, '--dir', dir(), '--dry-run']);
    expect(dry.out.filter((line) => line.endsWith('unchanged, would be left alone'))).toHaveLength(uids().length);
  });

  it('an edit in Grafana is put back with the stored resourceVersion, or through the legacy API', async () => {
    const server = await grafana({ version });
    await run(['--url', server.url, '--dir', dir()]);
    const [edited] = uids();
    const stored = server.dashboards.get(edited!)!;
    server.store(edited!, { ...stored.spec, title: 'Renamed by hand' }, stored.folderUid, stored.model);
    const resourceVersion = server.dashboards.get(edited!)!.resourceVersion;
    const result = await run(['--url', server.url, '--dir', dir()]);
    expect(result.code, result.text).toBe(0);
    const [write] = server.writes().slice(-1);
    if (api === 'legacy') {
      expect(`${write!.method} ${write!.path}`).toBe('POST /api/dashboards/db');
    } else {
      expect(`${write!.method} ${write!.path}`).toBe(`PUT ${path}/${edited}`);
      expect((write!.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(resourceVersion);
    }
    expect(server.dashboards.get(edited!)!.spec.title).not.toBe('Renamed by hand');
  });

  it('one of ours in the root folder while our folder is missing: a move, said by the dry run, refused by ' +
    'the run', async () => {
    const server = await grafana({ version });
    await run(['--url', server.url, '--dir', dir()]);
    const [moved] = uids();
    const stored = server.dashboards.get(moved!)!;
    server.store(moved!, stored.spec, '', stored.model);
    server.folders.clear();
    const dry = await run(['--url', server.url, '--dir', dir(), '--dry-run']);
    expect(dry.out.filter((line) => line.startsWith(`${moved} `))).toEqual([
      expect.stringMatching(/: would change; would move from folder "the root folder" \(needs --replace\)$/),
    ]);
    const refused = await run(['--url', server.url, '--dir', dir()]);
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toContain(`${moved} (in folder "the root folder")`);
  });

  it('a dashboard someone else put under our uid is replaced only with --replace', async () => {
    const server = await grafana({ version });
    const folder = server.addFolder('Flux');
    const [taken] = uids();
    const official = { uid: taken!, title: 'Flux Control Plane (official)', tags: ['flux'], panels: [] };
    server.store(taken!, official, folder, 'classic');

    const dry = await run(['--url', server.url, '--dir', dir(), '--dry-run']);
    expect(dry.code, dry.text).toBe(0);
    expect(dry.out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${taken} .*: would change; would replace a dashboard flux-dashboards did not deploy`),
        ),
      ]),
    );

    const dryReplace = await run(['--url', server.url, '--dir', dir(), '--dry-run', '--replace']);
    expect(dryReplace.out.filter((line) => line.startsWith(`${taken} `))).toEqual([
      expect.stringMatching(/would replace a dashboard flux-dashboards did not deploy$/),
    ]);

    const refused = await run(['--url', server.url, '--dir', dir()]);
    expect(refused.code).toBe(2);
    expect(refused.out).toEqual([]);
    expect(refused.err).toEqual([
      `error: Grafana holds dashboards under our uids that this run would replace or move: ${taken} (not deployed by ` +
        'flux-dashboards); pass --replace to take them over, or --dry-run to see every change',
    ]);
    expect(server.writes()).toEqual([]);
    expect(server.dashboards.get(taken!)!.spec.title).toBe(official.title);

    const replaced = await run(['--url', server.url, '--dir', dir(), '--replace']);
    expect(replaced.code, replaced.text).toBe(0);
    expect(replaced.out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${taken} .*: updated.*; replaced a dashboard flux-dashboards did not deploy$`),
        ),
      ]),
    );
    expect(server.dashboards.get(taken!)!.spec.tags).toContain(ownershipTag);
  });
});

describe('the model on Grafana 13', () => {
  it('--model classic sends the classic JSON through v1 although v2 resources are there', async () => {
    const server = await grafana({ version: '13.1.0' });
    const result = await run(['--url', server.url, '--dir', bothDir, '--model', 'classic']);
    expect(result.code, result.text).toBe(0);
    expect(dashboardWrites(server)).toEqual(uids().map(() => `POST ${collection('v1')}`));
    for (const dashboard of classic) {
      expect(sameDashboard(server.dashboards.get(dashboard.uid)!.spec, withOwnershipTag(dashboard))).toBe(true);
    }
  });

  it('without v2 resources it says it sends the classic model', async () => {
    const server = await grafana({ version: '13.1.0' });
    const result = await run(['--url', server.url, '--dir', classicDir]);
    expect(result.out[1]).toMatch(/^note: sending the classic model, as flux-\S+, .* came without a v2 resource$/);
  });

  it('--model v2 without v2 resources, or on Grafana 12: refused, nothing written', async () => {
    const thirteen = await grafana({ version: '13.1.0' });
    const missing = await run(['--url', thirteen.url, '--dir', classicDir, '--model', 'v2']);
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(
      /^error: flux-\S+, .* came without a v2 resource, which this Grafana 13\.1\.0 needs/,
    );
    const twelve = await grafana({ version: '12.4.0' });
    const old = await run(['--url', twelve.url, '--dir', bothDir, '--model', 'v2']);
    expect(old.code).toBe(2);
    expect(old.err).toEqual(['error: --model v2 needs Grafana 13 or later, and this one is 12.4.0: leave out --model']);
    expect([...thirteen.writes(), ...twelve.writes()]).toEqual([]);
  });

  it('switching a v1 dashboard of ours to v2 is a change; then the v2 run is idempotent', async () => {
    const server = await grafana({ version: '13.0.0' });
    await run(['--url', server.url, '--dir', classicDir]);
    const result = await run(['--url', server.url, '--dir', bothDir]);
    expect(result.code, result.text).toBe(0);
    const switched = uids().filter(hasV2);
    expect(dashboardWrites(server).slice(-switched.length)).toEqual(
      switched.map((uid) => `PUT ${collection('v2')}/${uid}`),
    );
    const writes = server.writes().length;
    expect((await run(['--url', server.url, '--dir', bothDir])).code).toBe(0);
    expect(server.writes()).toHaveLength(writes);
  });

  it('the deploy function takes the v2 resources as its input', async () => {
    const server = await grafana({ version: '13.0.0' });
    const http = new GrafanaHttp({
      baseUrl: new URL(server.url),
      credentials: { kind: 'token', token },
      timeoutMs: 5000,
      retry: { retries: 0, backoffMs: 1, maxDelayMs: 1 },
    });
    const plan = { folderTitle: 'Flux', api: 'auto' as const, namespace: 'default', dryRun: false, message: 'm' };
    const report = await deploy(http, classic, plan, v2);
    expect(report).toMatchObject({ ok: true, api: 'v2', model: 'v2' });
    for (const resource of v2) {
      expect(
        sameDashboard(
          server.dashboards.get(resource.metadata.name)!.spec,
          withOwnershipTag(resource.spec as unknown as Dashboard),
        ),
      ).toBe(true);
    }
  });

  it('the legacy API on Grafana 13 refuses a v2 dashboard (406): that dashboard fails, named', async () => {
    const server = await grafana({ version: '13.0.0' });
    await run(['--url', server.url, '--dir', bothDir]);
    const result = await run(['--url', server.url, '--dir', classicDir, '--api', 'legacy']);
    expect(result.code).toBe(1);
    expect(result.text).toContain('dashboard api version not supported, use /apis/dashboard.grafana.app/v2/');
  });
});

describe('--config deploys what it builds', () => {
  const mimir: ConfigInput = { clusterLabel: 'k8s_cluster', packaging: { folder: 'Flux Mimir' } };
  let folder: string;
  let mimirFile: string;
  let defaultFile: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'deploy-config-'));
    mimirFile = join(folder, 'mimir.yaml');
    defaultFile = join(folder, 'default.yaml');
    writeFileSync(mimirFile, stringify(mimir));
    writeFileSync(defaultFile, stringify({}));
  });

  it('without --dir: builds the configuration in memory, into its folder', async () => {
    const server = await grafana({ version: '12.2.0' });
    const result = await run(['--url', server.url, '--config', mimirFile]);
    expect(result.code, result.text).toBe(0);
    const built = buildSources(resolveConfig(mimir)).dashboards;
    expect(built.map((dashboard) => dashboard.uid)).toEqual(uids());
    const folderUid = [...server.folders].find(([, { title }]) => title === 'Flux Mimir')![0];
    for (const dashboard of built) {
      const stored = server.dashboards.get(dashboard.uid)!;
      expect(stored.folderUid).toBe(folderUid);
      expect(sameDashboard(stored.spec, withOwnershipTag(dashboard))).toBe(true);
    }
    // What the default configuration builds is another thing: the run did not deploy that.
    expect(
      classic.some(
        (dashboard) => !sameDashboard(server.dashboards.get(dashboard.uid)!.spec, withOwnershipTag(dashboard)),
      ),
    ).toBe(true);
  });

  it('with --dir built from another configuration: refused before any request; from the same one: ' +
    'deployed', async () => {
    const out = join(folder, 'dist-default');
    mkdirSync(out);
    expect(await runBuildCli(['--config', defaultFile, '--out', out], { out: () => {}, err: () => {} })).toBe(0);
    const server = await grafana({ version: '12.2.0' });
    const refused = await run(['--url', server.url, '--config', mimirFile, '--dir', join(out, 'grafana')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual([
      `error: ${join(out, 'grafana')} was built from another configuration than ${mimirFile}: build it again ` +
        `(\`npx flux-dashboards build --config ${mimirFile}\`), or leave out --dir to deploy what ${mimirFile} builds`,
    ]);
    expect(server.requests).toEqual([]);
    const same = await run(['--url', server.url, '--config', defaultFile, '--dir', join(out, 'grafana')]);
    expect(same.code, same.text).toBe(0);
  });

  it('--alerts: the rule groups come from the same in-memory build; a configuration without them is ' +
    'refused', async () => {
    const withRules: ConfigInput = {
      alerts: { grafana: { prometheusDatasourceUid: 'prom', lokiDatasourceUid: 'loki' } },
    };
    const rulesFile = join(folder, 'rules.yaml');
    writeFileSync(rulesFile, stringify(withRules));
    const server = await grafana({ version: '12.2.0' });
    const result = await run(['--url', server.url, '--config', rulesFile, '--alerts']);
    expect(result.code, result.text).toBe(0);
    const built = parse(buildSources(resolveConfig(withRules)).alertRules!) as { groups: Array<{ rules: unknown[] }> };
    expect(server.alertRules.size).toBe(built.groups.flatMap((group) => group.rules).length);
    expect(server.alertRules.size).toBeGreaterThan(0);

    const noRulesFile = join(folder, 'no-rules.yaml');
    writeFileSync(noRulesFile, stringify({ alerts: { grafana: null } }));
    const without = await run(['--url', server.url, '--config', noRulesFile, '--alerts']);
    expect(without.code).toBe(2);
    expect(without.err).toEqual([
      `error: ${noRulesFile} builds no Grafana-managed alert rules: set alerts.grafana in it, or leave out --alerts`,
    ]);
  });

  it('with a --dir whose build manifest records no configuration: refused, as it cannot tell', async () => {
    const result = await run(['--url', 'http://127.0.0.1:1', '--config', defaultFile, '--dir', classicDir]);
    expect(result.code).toBe(2);
    expect(result.err[0]).toContain(`cannot tell which configuration built ${classicDir}`);
  });
});
