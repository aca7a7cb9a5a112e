/** The real command, `npx tsx scripts/deploy.ts`, in its own process against a local server that answers like Grafana. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config';
import { dashboardArtifacts } from '../scripts/artifacts';
import { startFakeGrafana, type FakeGrafana } from './helpers/fake-grafana';

const repo = resolve(__dirname, '..');
const token = 'glsa_cliTestToken_fedcba9876543210';
let dir: string;
let dashboardCount = 0;
const servers: FakeGrafana[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
  for (const [path, content] of dashboardArtifacts(resolveConfig())) {
    writeFileSync(join(dir, path.split('/').pop()!), content);
    dashboardCount++;
  }
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Without any GRAFANA_* of the machine running the tests. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GRAFANA_')));

function deployCommand(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'scripts/deploy.ts', '--dir', dir, ...args], { cwd: repo, env: { ...cleanEnv(), ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

async function grafana(version = '12.2.0') {
  const server = await startFakeGrafana({ token, version });
  servers.push(server);
  return server;
}

describe('npx tsx scripts/deploy.ts', () => {
  it('saves every dashboard, then on a second run leaves them alone; the token is never printed', async () => {
    const server = await grafana();
    const first = await deployCommand(['--url', server.url], { GRAFANA_TOKEN: token });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`summary: ${dashboardCount} saved, 0 unchanged, 0 not saved`);
    expect(server.dashboards.size).toBe(dashboardCount);
    const writes = server.writes().length;

    const dry = await deployCommand(['--dry-run'], { GRAFANA_URL: server.url, GRAFANA_TOKEN: token });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`summary: 0 would be created, 0 would change, ${dashboardCount} unchanged`);

    const second = await deployCommand(['--url', server.url], { GRAFANA_TOKEN: token });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`summary: 0 saved, ${dashboardCount} unchanged, 0 not saved`);
    expect(server.writes()).toHaveLength(writes);
    for (const output of [first, dry, second]) expect(output.stdout + output.stderr).not.toContain(token);
  });

  it('legacy API with --api legacy and basic auth', async () => {
    const server = await startFakeGrafana({ user: 'deployer', password: 's3cret-passw0rd', version: '12.1.0' });
    servers.push(server);
    const result = await deployCommand(['--url', server.url, '--api', 'legacy', '--folder', 'Platform'], { GRAFANA_USER: 'deployer', GRAFANA_PASSWORD: 's3cret-passw0rd' });
    expect(result.code, result.stderr).toBe(0);
    expect(server.writes().filter((request) => request.path === '/api/dashboards/db')).toHaveLength(dashboardCount);
    expect(result.stdout + result.stderr).not.toContain('s3cret-passw0rd');
  });

  it('exits 1 on rejected credentials, with the reason on stderr and the token nowhere', async () => {
    const server = await grafana();
    const wrong = 'glsa_notTheRightTokenAtAll_000';
    const result = await deployCommand(['--url', server.url], { GRAFANA_TOKEN: wrong });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Grafana rejected the credentials: check GRAFANA_TOKEN');
    expect(result.stdout).toContain(`0 saved, 0 unchanged, ${dashboardCount} not saved`);
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(server.writes()).toEqual([]);
  });

  it('exits 2 without credentials, before any request', async () => {
    const server = await grafana();
    const result = await deployCommand(['--url', server.url], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: no credentials: set GRAFANA_TOKEN to a service-account token (or GRAFANA_USER and GRAFANA_PASSWORD)');
    expect(server.requests).toEqual([]);
  });

  it('exits 2 on a URL with credentials in it, without echoing them', async () => {
    const result = await deployCommand(['--url', `https://admin:${token}@grafana.example.com`], { GRAFANA_TOKEN: token });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--url must not carry credentials');
    expect(result.stdout + result.stderr).not.toContain(token);
  });
});
