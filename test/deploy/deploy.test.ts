/** `npm run deploy` in-process, against a local server that answers like Grafana's HTTP API. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { parseDeployOptions, runDeployCli, type Environment } from '../../deploy/command';
import { sameDashboard } from '../../deploy/deploy';
import { apiForVersion, ownershipTag, withOwnershipTag } from '../../deploy/grafana-api';
import { retryAfterMs } from '../../deploy/http';
import { dashboardArtifacts } from '../../build/render';
import { FakeGrafana, startFakeGrafana, type FakeGrafanaOptions } from '../helpers/fake-grafana';

const token = 'glsa_fakeServiceAccountToken_0123456789abcdef';
const password = 'correct-horse-battery';
const tokenEnv: Environment = { GRAFANA_TOKEN: token };

let dir: string;
let dashboards: Array<Record<string, unknown> & { uid: string; title: string }>;
const servers: FakeGrafana[] = [];
/** Everything any run printed, scanned for the secrets at the end of each test. */
let printed: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  dashboards = [];
  for (const [path, content] of dashboardArtifacts(resolveConfig())) {
    writeFileSync(join(dir, path.split('/').pop()!), content);
    dashboards.push(JSON.parse(content));
  }
  // The command reads the folder in file-name order, and files are named after uids.
  dashboards.sort((a, b) => a.uid.localeCompare(b.uid));
});

afterEach(async () => {
  const lines = printed;
  printed = [];
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const line of lines) {
    expect(line).not.toContain(token);
    expect(line).not.toContain(password);
  }
});

async function grafana(options: FakeGrafanaOptions = {}) {
  const server = await startFakeGrafana({ token, user: 'admin', password, ...options });
  servers.push(server);
  return server;
}

interface Run {
  code: number;
  out: string[];
  err: string[];
  sleeps: number[];
}

async function run(args: string[], env: Environment = tokenEnv): Promise<Run> {
  const result: Run = { code: -1, out: [], err: [], sleeps: [] };
  result.code = await runDeployCli(['--dir', dir, ...args], env, {
    out: (line) => result.out.push(line),
    err: (line) => result.err.push(line),
    sleep: async (ms) => void result.sleeps.push(ms),
  });
  printed.push(...result.out, ...result.err);
  return result;
}

const text = (result: Run) => [...result.out, ...result.err].join('\n');
const uids = () => dashboards.map((dashboard) => dashboard.uid);

describe('saving to an empty Grafana', () => {
  it('resource API (Grafana 12): creates the folder, then each dashboard under its uid, with the folder ' +
    'annotation', async () => {
    const server = await grafana({ version: '12.2.0' });
    const result = await run(['--url', server.url]);
    expect(result.code, text(result)).toBe(0);

    const writes = server.writes();
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/folders',
      ...uids().map(() => 'POST /apis/dashboard.grafana.app/v1beta1/namespaces/default/dashboards'),
    ]);
    expect(writes.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);
    const [folderUid] = [...server.folders.keys()];
    expect(server.folders.get(folderUid!)!.title).toBe('Flux');
    for (const dashboard of dashboards) {
      const stored = server.dashboards.get(dashboard.uid)!;
      expect(stored.folderUid).toBe(folderUid);
      expect(stored.spec.tags).toContain(ownershipTag);
      expect(sameDashboard(stored.spec, withOwnershipTag(dashboard))).toBe(true);
      expect(stored.message).toBe('flux-dashboards deploy');
    }
    const sent = writes[1]!.body as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    expect(sent.spec).not.toHaveProperty('id');
    expect(sent.metadata.name).toBe(uids()[0]);
    expect(result.out.at(-1)).toBe(`summary: ${uids().length} saved, 0 unchanged, 0 not saved`);
  });

  it('legacy API (Grafana 11) with basic auth: POST /api/dashboards/db with overwrite, folderUid and no ' +
    'id', async () => {
    const server = await grafana({ version: '11.6.3' });
    const result = await run(['--url', server.url, '--folder', 'GitOps'], {
      GRAFANA_USER: 'admin',
      GRAFANA_PASSWORD: password,
    });
    expect(result.code, text(result)).toBe(0);

    const saves = server.writes().filter((request) => request.path === '/api/dashboards/db');
    expect(saves).toHaveLength(uids().length);
    const folderUid = [...server.folders].find(([, folder]) => folder.title === 'GitOps')![0];
    for (const save of saves) {
      const body = save.body as { dashboard: Record<string, unknown>; folderUid: string; overwrite: boolean };
      expect(body.overwrite).toBe(true);
      expect(body.folderUid).toBe(folderUid);
      expect(body.dashboard).not.toHaveProperty('id');
      expect(save.authorization).toBe(`Basic ${Buffer.from(`admin:${password}`).toString('base64')}`);
    }
    expect(server.requests.some((request) => request.path.startsWith('/apis/'))).toBe(false);
  });

  it('--api overrides the version: legacy on Grafana 12 without asking /api/health', async () => {
    const server = await grafana({ version: '12.2.0' });
    const result = await run(['--url', server.url, '--api', 'legacy']);
    expect(result.code, text(result)).toBe(0);
    expect(server.requests.some((request) => request.path === '/api/health')).toBe(false);
    expect(server.writes().filter((request) => request.path === '/api/dashboards/db')).toHaveLength(uids().length);
  });

  it('a Grafana under a sub-path and another namespace', async () => {
    const server = await grafana({ version: '12.0.1', namespace: 'org-2' });
    // The fake serves from its root: a sub-path must be kept in every request, so it would 404 here.
    const subPath = await run(['--url', `${server.url}/grafana/`, '--api', 'legacy']);
    expect(subPath.code).toBe(1);
    expect(server.requests.every((request) => request.path.startsWith('/grafana/api/'))).toBe(true);
    const result = await run(['--url', server.url, '--namespace', 'org-2']);
    expect(result.code, text(result)).toBe(0);
    expect(server.dashboards.size).toBe(uids().length);
  });

  it('dry run writes nothing and says the folder and every dashboard would be created', async () => {
    const server = await grafana();
    const result = await run(['--url', server.url, '--dry-run']);
    expect(result.code, text(result)).toBe(0);
    expect(server.writes()).toEqual([]);
    expect(text(result)).toContain('folder "Flux": would be created');
    for (const uid of uids()) expect(text(result)).toContain(`${uid} (`);
    expect(result.out.at(-1)).toBe(
      `summary: ${uids().length} would be created, 0 would change, 0 unchanged, 0 could not be checked`,
    );
  });
});

describe.each(['12.2.0', '10.4.0'])('a second run on Grafana %s', (version) => {
  it('leaves everything alone: no write, no folder created again; dry run says unchanged', async () => {
    const server = await grafana({ version });
    expect((await run(['--url', server.url])).code).toBe(0);
    const writesAfterFirst = server.writes().length;
    const versions = [...server.dashboards.values()].map((stored) => stored.version);

    const second = await run(['--url', server.url]);
    expect(second.code, text(second)).toBe(0);
    expect(server.writes()).toHaveLength(writesAfterFirst);
    expect(server.folders.size).toBe(1);
    expect([...server.dashboards.values()].map((stored) => stored.version)).toEqual(versions);
    expect(second.out.at(-1)).toBe(`summary: 0 saved, ${uids().length} unchanged, 0 not saved`);

    const dry = await run(['--url', server.url, '--dry-run']);
    expect(dry.out.filter((line) => line.endsWith('unchanged, would be left alone'))).toHaveLength(uids().length);
  });

  it('puts back a dashboard someone edited; one moved to another folder only with --replace; dry run reports ' +
    'both', async () => {
    const server = await grafana({ version });
    await run(['--url', server.url]);
    const [edited, moved] = uids();
    const stored = server.dashboards.get(edited!)!;
    server.store(edited!, { ...stored.spec, title: 'Renamed by hand' }, stored.folderUid);
    server.store(moved!, server.dashboards.get(moved!)!.spec, server.addFolder('Elsewhere'));
    const writes = server.writes().length;

    const dry = await run(['--url', server.url, '--dry-run']);
    expect(server.writes()).toHaveLength(writes);
    expect(dry.out).toContain(`${edited} (${dashboards[0]!.title}): would change`);
    expect(dry.out).toContain(
      `${moved} (${dashboards[1]!.title}): would change; would move from folder "Elsewhere" (needs --replace)`,
    );

    const refused = await run(['--url', server.url]);
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual([
      expect.stringMatching(new RegExp(`^error: .*: ${moved} \\(in folder "Elsewhere"\\); pass --replace`)),
    ]);
    expect(server.writes()).toHaveLength(writes);

    const result = await run(['--url', server.url, '--replace']);
    expect(result.code, text(result)).toBe(0);
    expect(server.writes()).toHaveLength(writes + 2);
    expect(result.out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${moved} .*: updated, .*; moved from folder "Elsewhere"$`)),
      ]),
    );
    expect(server.dashboards.get(edited!)!.spec.title).toBe(dashboards[0]!.title);
    expect(server.dashboards.get(moved!)!.folderUid).toBe(stored.folderUid);
  });
});

describe('failures', () => {
  it('connection refused: said at once, not retried, then every dashboard reported not saved', async () => {
    const server = await grafana();
    const url = server.url;
    await server.close();
    servers.pop();
    const result = await run(['--url', url]);
    expect(result.code).toBe(1);
    expect(result.sleeps).toEqual([]);
    const refused =
      /cannot reach Grafana: GET http:\/\/127\.0\.0\.1:\d+\/api\/health: connection refused \(ECONNREFUSED\): /;
    expect(text(result)).toMatch(refused);
    expect(text(result)).toContain('check --url and that Grafana runs');
    expect(text(result)).not.toMatch(/attempts/);
    expect(result.out.at(-1)).toBe(`summary: 0 saved, 0 unchanged, ${uids().length} not saved (failed)`);
  });

  it('a dropped connection: retried with growing delays, as a later attempt may pass', async () => {
    const server = await grafana();
    server.fail({ path: /^\/api\/folders$/, times: 4, drop: true });
    const result = await run(['--url', server.url]);
    expect(result.code).toBe(1);
    expect(result.sleeps).toEqual([500, 1000, 2000]);
    expect(text(result)).toMatch(/cannot reach Grafana: GET http:\/\/\S+\/api\/folders: UND_ERR_SOCKET \(4 attempts\)/);
  });

  it.each([
    ['a port fetch refuses', 'http://127.0.0.1:6000', 'port 6000 is one that fetch never connects to ("bad port")'],
    ['an unknown host', 'http://no-such-host.invalid', 'unknown host no-such-host.invalid (ENOTFOUND): check --url'],
  ])('%s: said at once, not retried', async (_name, url, message) => {
    const result = await run(['--url', url]);
    expect(result.code).toBe(1);
    expect(result.sleeps).toEqual([]);
    expect(text(result)).toContain(message);
  });

  it('a redirect loop: said at once, not retried', async () => {
    const loop = createServer((_request, response) => response.writeHead(302, { location: '/again' }).end());
    await new Promise<void>((listening) => loop.listen(0, '127.0.0.1', listening));
    try {
      const result = await run(['--url', `http://127.0.0.1:${(loop.address() as AddressInfo).port}`]);
      expect(result.code).toBe(1);
      expect(result.sleeps).toEqual([]);
      expect(text(result)).toContain('the server redirects in a loop (redirect count exceeded): check --url');
    } finally {
      await new Promise((closed) => loop.close(closed));
    }
  });

  it('a token with a line break: bad input, named, before any request', async () => {
    const server = await grafana();
    const result = await run(['--url', server.url], { GRAFANA_TOKEN: `${token}\n` });
    expect(result.code).toBe(2);
    expect(result.err).toEqual([
      'error: GRAFANA_TOKEN holds a line break, which no HTTP header may carry: set it again without it',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('a request that gets no answer times out (AbortController) and is retried', async () => {
    const server = await grafana();
    server.fail({ path: /^\/api\/folders$/, times: 4, hang: true });
    const result = await run(['--url', server.url, '--timeout', '0.2']);
    expect(result.code).toBe(1);
    expect(server.requests.filter((request) => request.path.startsWith('/api/folders'))).toHaveLength(4);
    expect(text(result)).toContain('no answer within 200 ms (4 attempts)');
  });

  it('5xx twice, then success: saved after two backoffs', async () => {
    const server = await grafana();
    server.fail({
      method: 'POST',
      path: /\/dashboards$/,
      times: 2,
      status: 503,
      body: { message: 'database is locked' },
    });
    const result = await run(['--url', server.url]);
    expect(result.code, text(result)).toBe(0);
    expect(result.sleeps).toEqual([500, 1000]);
    expect(server.dashboards.size).toBe(uids().length);
  });

  it('429 waits as long as Retry-After says', async () => {
    const server = await grafana();
    server.fail({
      path: /^\/api\/folders$/,
      times: 1,
      status: 429,
      headers: { 'retry-after': '7' },
      body: { message: 'too many requests' },
    });
    const result = await run(['--url', server.url]);
    expect(result.code, text(result)).toBe(0);
    expect(result.sleeps).toEqual([7000]);
  });

  it('a 5xx that persists fails that dashboard only; the summary says which were saved', async () => {
    const server = await grafana({ version: '11.0.0' });
    const [broken, ...others] = uids();
    server.fail({
      method: 'POST',
      path: /^\/api\/dashboards\/db$/,
      times: 4,
      status: 500,
      body: { message: 'internal error' },
    });
    const result = await run(['--url', server.url]);
    const bodies = server.requests.filter((request) => request.path === '/api/dashboards/db').length;
    expect(result.code).toBe(1);
    expect(bodies).toBe(4 + others.length);
    expect(text(result)).toContain(`${broken} (${dashboards[0]!.title}): FAILED: POST`);
    expect(text(result)).toContain('answered 500 (internal error) after 4 attempts');
    for (const uid of others) expect(server.dashboards.has(uid)).toBe(true);
    expect(result.out.at(-1)).toBe(`summary: ${others.length} saved, 0 unchanged, 1 not saved (failed)`);
  });

  it('401: says the credentials are wrong and stops before any write', async () => {
    const server = await grafana();
    const result = await run(['--url', server.url], { GRAFANA_TOKEN: 'glsa_wrongTokenWrongTokenWrong' });
    expect(result.code).toBe(1);
    expect(text(result)).toContain('Grafana rejected the credentials: check GRAFANA_TOKEN (401');
    expect(server.writes()).toEqual([]);
    expect(printed.join('\n')).not.toContain('glsa_wrongTokenWrongTokenWrong');
  });

  it('403: says the credentials lack permission, and stops at the first refused write', async () => {
    const server = await grafana({ role: 'Viewer' });
    server.addFolder('Flux');
    const result = await run(['--url', server.url]);
    expect(result.code).toBe(1);
    expect(text(result)).toContain('the credentials lack permission: give the service account the Editor role');
    expect(server.writes()).toHaveLength(1);
    expect(result.out.filter((line) => line.endsWith(': not saved'))).toHaveLength(uids().length - 1);
  });

  it('409 from the resource API when someone saves between our read and write: names the dashboard and the ' +
    'conflict', async () => {
    const server = await grafana({ version: '12.2.0' });
    await run(['--url', server.url]);
    const [contested] = uids();
    const stored = server.dashboards.get(contested!)!;
    server.store(contested!, { ...stored.spec, title: 'Edited' }, stored.folderUid);
    server.editAfterNextRead(contested!);
    const result = await run(['--url', server.url]);
    expect(result.code).toBe(1);
    expect(text(result)).toMatch(
      new RegExp(
        `${contested} \\(.*\\): FAILED: PUT .*: conflict \\(409: Conflict: Operation cannot be fulfilled ` +
          `.*the object has been modified`,
      ),
    );
    expect(server.writes().at(-1)!.method).toBe('PUT');
  });

  it('412 from the legacy API: says what conflicts and goes on with the others', async () => {
    const server = await grafana({ version: '11.6.0' });
    server.fail({
      path: /^\/api\/dashboards\/db$/,
      times: 1,
      status: 412,
      body: { status: 'name-exists', message: 'A dashboard with the same name in the folder already exists' },
    });
    const result = await run(['--url', server.url]);
    expect(result.code).toBe(1);
    expect(text(result)).toContain(
      'conflict (412: name-exists: A dashboard with the same name in the folder already exists)',
    );
    expect(server.dashboards.size).toBe(uids().length - 1);
  });

  it('a secret the server echoes back is masked', async () => {
    const server = await grafana();
    server.fail({ path: /^\/api\/folders$/, times: 1, status: 400, body: { message: `bad header Bearer ${token}` } });
    const result = await run(['--url', server.url]);
    expect(result.code).toBe(1);
    expect(text(result)).toContain('bad header Bearer ***');
  });

  it.each([
    [['--url', 'grafana.example.com'], 'is not a URL'],
    [['--url', 'ftp://grafana.example.com'], 'must be http:// or https://'],
    [['--url', `http://admin:${password}@127.0.0.1:1`], 'must not carry credentials'],
    [['--url', 'http://127.0.0.1:1/?orgId=1'], 'without ?query'],
    [['--url', 'http://127.0.0.1:1', '--api', 'v2'], '--api must be one of auto, legacy, resource'],
    [
      ['--url', 'http://127.0.0.1:1', '--timeout', 'soon'],
      '--timeout must be a number of seconds greater than 0, not "soon"',
    ],
    [
      ['--url', 'http://127.0.0.1:1', '--timeout', '-1'],
      '--timeout must be a number of seconds greater than 0, not "-1"',
    ],
    [['--url', 'http://127.0.0.1:1', '--config='], '--config is empty: give --config FILE.yaml'],
    [
      ['--url', 'http://127.0.0.1:1', 'dist/grafana'],
      'unexpected argument "dist/grafana": deploy takes only options: the built dashboards are given as ' +
        '--dir dist/grafana',
    ],
    [['--url', 'http://127.0.0.1:1', '--frobnicate'], 'unknown option --frobnicate; usage: flux-dashboards deploy'],
    [[], 'no Grafana address: pass --url, set GRAFANA_URL or alerts.grafanaUrl in --config'],
  ])('bad input %j is refused before any request: %s', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err[0]).toContain(message);
    expect(text(result)).not.toContain(password);
  });

  it.each([
    [{}, 'no credentials: set GRAFANA_TOKEN'],
    [{ GRAFANA_USER: 'admin' }, 'set both GRAFANA_USER and GRAFANA_PASSWORD'],
    [{ GRAFANA_PASSWORD: password }, 'set both GRAFANA_USER and GRAFANA_PASSWORD'],
  ])('missing credentials %j: no request at all', async (env, message) => {
    const server = await grafana();
    const result = await run([], { GRAFANA_URL: server.url, ...env });
    expect(result.code).toBe(2);
    expect(result.err[0]).toContain(message);
    expect(server.requests).toEqual([]);
  });

  it('a folder without dashboards, or a file that is not one, is refused before any request', async () => {
    const server = await grafana();
    const empty = mkdtempSync(join(tmpdir(), 'deploy-empty-'));
    const emptyRun = await runDeployCli(['--url', server.url, '--dir', empty], tokenEnv, {
      out: () => {},
      err: () => {},
    });
    const bad = join(empty, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'x.json'), '{"title": "no uid"}');
    const lines: string[] = [];
    const badRun = await runDeployCli(['--url', server.url, '--dir', bad], tokenEnv, {
      out: () => {},
      err: (line) => lines.push(line),
    });
    expect([emptyRun, badRun]).toEqual([2, 2]);
    expect(lines[0]).toContain('x.json is not a Grafana dashboard');
    expect(server.requests).toEqual([]);
  });
});

describe('pieces', () => {
  it('compares dashboards ignoring the fields Grafana sets and key order, but not content', () => {
    const ours = dashboards[0]!;
    const reordered = Object.fromEntries(Object.entries(ours).reverse());
    expect(sameDashboard({ ...reordered, id: 42, version: 7, iteration: 123 }, ours)).toBe(true);
    const panels = structuredClone(ours.panels) as Array<Record<string, unknown>>;
    panels[0]!.title = 'Other';
    expect(sameDashboard({ ...ours, panels }, ours)).toBe(false);
  });

  it('reads the dashboards from where `npm run build` writes them unless told --dir', () => {
    const env = { GRAFANA_TOKEN: 'token' };
    const url = ['--url', 'http://grafana:3000'];
    expect(parseDeployOptions(url, env).dir).toBe(resolve('dist', 'grafana'));
    expect(parseDeployOptions([...url, '--dir', 'out/grafana'], env).dir).toBe(resolve('out', 'grafana'));
  });

  it('picks the API by major version and model; --api forces one', () => {
    const versions = ['10.4.1', '11.6.3+security-01', '12.0.0-pre', '13.1.0', undefined];
    expect(versions.map((version) => apiForVersion(version))).toEqual(['legacy', 'legacy', 'v1beta1', 'v1', 'legacy']);
    expect(versions.map((version) => apiForVersion(version, 'v2'))).toEqual([
      'legacy',
      'legacy',
      'v1beta1',
      'v2',
      'legacy',
    ]);
    expect(versions.map((version) => apiForVersion(version, 'classic', 'resource'))).toEqual([
      'v1beta1',
      'v1beta1',
      'v1beta1',
      'v1',
      'v1beta1',
    ]);
    expect(apiForVersion('13.0.0', 'v2', 'legacy')).toBe('legacy');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
