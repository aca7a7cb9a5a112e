/** The real command, `npm run deploy -- …`, in its own process against a local server that answers like Grafana. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { dashboardArtifacts } from '../../build/render';
import { helmReleasesIdentity } from '../../examples/helm-releases/dashboard';
import { blockAfter } from '../helpers/doc-blocks';
import { startFakeGrafana, type FakeGrafana } from '../helpers/fake-grafana';

const repo = resolve(__dirname, '../..');
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

/** The command with `--dir` of the built dashboards, or (`fromDir` false) with what its --config builds. */
function deployCommand(
  args: string[],
  env: Record<string, string>,
  fromDir = true,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const command = ['run', '--silent', 'deploy', '--', ...(fromDir ? ['--dir', dir] : []), ...args];
    execFile('npm', command, { cwd: repo, env: { ...cleanEnv(), ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      // npm's warnings about this machine's npm configuration are not the command's output.
      done({
        code,
        stdout,
        stderr: stderr
          .split('\n')
          .filter((line) => !line.startsWith('npm warn'))
          .join('\n'),
      });
    });
  });
}

async function grafana(version = '12.2.0') {
  const server = await startFakeGrafana({ token, version });
  servers.push(server);
  return server;
}

describe('npm run deploy', () => {
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
    const result = await deployCommand(['--url', server.url, '--api', 'legacy', '--folder', 'Platform'], {
      GRAFANA_USER: 'deployer',
      GRAFANA_PASSWORD: 's3cret-passw0rd',
    });
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
    expect(result.stderr).toContain(
      'error: no credentials: set GRAFANA_TOKEN to a service-account token (or GRAFANA_USER and GRAFANA_PASSWORD)',
    );
    expect(server.requests).toEqual([]);
  });

  it('exits 2 on a URL with credentials in it, without echoing them', async () => {
    const result = await deployCommand(['--url', `https://admin:${token}@grafana.example.com`], {
      GRAFANA_TOKEN: token,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--url must not carry credentials');
    expect(result.stdout + result.stderr).not.toContain(token);
  });
});

describe('deploy --config, and what is not Grafana', () => {
  it('takes the folder and the URL from the configuration file; flags win', async () => {
    const server = await grafana();
    const config = join(dir, '..', 'deploy-config.yaml');
    writeFileSync(config, `packaging:\n  folder: Platform dashboards\nalerts:\n  grafanaUrl: ${server.url}\n`);
    const fromFile = await deployCommand(['--config', config], { GRAFANA_TOKEN: token }, false);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect([...server.folders.values()].map((folder) => folder.title)).toEqual(['Platform dashboards']);
    expect(fromFile.stdout).toContain('folder "Platform dashboards": created');

    const flagged = await deployCommand(
      ['--config', config, '--folder', 'Flux', '--dry-run'],
      { GRAFANA_TOKEN: token },
      false,
    );
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stdout).toContain('folder "Flux": would be created');

    const elsewhere = await deployCommand(
      ['--config', config, '--url', 'http://127.0.0.1:9', '--timeout', '1'],
      { GRAFANA_TOKEN: token },
      false,
    );
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain('at http://127.0.0.1:9/');
  });

  it('a bad configuration file: one line, exit code 2, no request', async () => {
    const server = await grafana();
    const config = join(dir, '..', 'deploy-bad-config.yaml');
    writeFileSync(config, 'packaging:\n  folder: ""\n');
    const result = await deployCommand(['--config', config, '--url', server.url], { GRAFANA_TOKEN: token });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: .*deploy-bad-config\.yaml: packaging\.folder is ""; allowed: a non-empty text/),
    ]);
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['an HTML page with 200', 200],
    ['an HTML 404 page', 404],
  ])(
    'a web server that answers %s "does not look like Grafana", printing no HTML and no stack',
    async (_name, status) => {
      const page = '<!doctype html><html><head><title>Welcome</title></head><body><h1>It works</h1></body></html>';
      const server = createServer((_request, response) =>
        response.writeHead(status, { 'content-type': 'text/html' }).end(page),
      );
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const result = await deployCommand(['--url', url], { GRAFANA_TOKEN: token });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(
          new RegExp(
            '^error: GET /api/health( \\(404\\))? answered an HTML page, not Grafana\'s JSON: ' +
              'the URL does not look like Grafana \\(check --url\\)',
          ),
        );
        expect(`${result.stdout}${result.stderr}`).not.toMatch(/<html|<h1|^\s+at /m);
      } finally {
        await new Promise((closed) => server.close(closed));
      }
    },
  );

  it('deploy --help prints the usage on stdout and exits 0', async () => {
    const result = await deployCommand(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run deploy -- \[--url URL\] \[--config FILE\]/);
  });
});

describe('the example dashboard, deployed from a clone as docs/deploying.md says', () => {
  /** Runs one documented line in the repository, with the example's folder under `out` and the stand-in's URL. */
  const runLine = (line: string, out: string, url: string, env: Record<string, string>) =>
    new Promise<{ code: number; stderr: string }>((done) => {
      const [command, ...args] = line
        .replace('dist/examples', join(out, 'examples'))
        .replace('https://grafana.example.com', url)
        .split(' ');
      // The example script takes its output folder as its argument; the documented line uses the default.
      if (args.join(' ') === 'tsx examples/helm-releases/write.ts') args.push(join(out, 'examples'));
      execFile(command!, args, { cwd: repo, env: { ...cleanEnv(), ...env } }, (error, _stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
      );
    });

  it('writes the dashboard, then `npm run deploy -- --dir …` puts it into Grafana', async () => {
    const page = readFileSync(join(repo, 'docs/deploying.md'), 'utf8');
    const lines = blockAfter(page, 'example: deploy the example dashboard').split('\n');
    expect(lines).toEqual([
      'npx tsx examples/helm-releases/write.ts',
      'npm run deploy -- --dir dist/examples/grafana --url https://grafana.example.com',
    ]);
    const server = await grafana();
    const out = mkdtempSync(join(tmpdir(), 'example-deploy-'));
    for (const line of lines) {
      const result = await runLine(line, out, server.url, { GRAFANA_TOKEN: token });
      expect(result.code, `${line}: ${result.stderr}`).toBe(0);
    }
    expect([...server.dashboards.keys()]).toEqual([helmReleasesIdentity.uid]);
  });
});
