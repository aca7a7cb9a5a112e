/**
 * The pieces of `init` and `doctor` that need no Prometheus: the families read from queries, the release tables,
 * `--at`, and bad input (an unreachable URL, a server that is not a Prometheus, refused credentials, a slow server)
 * refused in one line with exit code 2 within `--timeout`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import { resolveConfig } from '../../config';
import { configText } from '../../inspect/init';
import { parseTime } from '../../inspect/client';
import { kindsWithoutReadiness } from '../../model/kinds';

const kindsMissingFromReadiness = (...args: Parameters<typeof kindsWithoutReadiness>) =>
  kindsWithoutReadiness(...args).map((kind) => kind.kind);
import { alertFamilies, panelFamilies } from '../../inspect/doctor';
import { logqlFamilies, promqlFamilies } from '../../inspect/families';
import { controllerImageTag, controllerReleases, fluxReleaseOfImage } from '../../model/controller-releases';
import { fluxReleases } from '../../model/flux-releases';
import { catalogue } from '../../model/catalogue';

describe('series families from the queries', () => {
  it('reads metric, fixed matchers and every named label; a variable matcher is left out unless fixed', () => {
    const [bucket, up] = promqlFamilies(
      'sum(rate(gotk_reconcile_duration_seconds_bucket{' +
      'cluster=~"$cluster",namespace=~"$namespace",kind="Bucket"}[5m]))' +
      ' / on() group_left up{container="manager"}', new Set(), { namespace: 'flux' });
    expect(bucket).toEqual({
      metric: 'gotk_reconcile_duration_seconds_bucket', catalogued: 'gotk_reconcile_duration_seconds',
      matchers: [{ label: 'namespace', op: '=~', value: 'flux' }, { label: 'kind', op: '=', value: 'Bucket' }],
      labels: ['cluster', 'namespace', 'kind'], source: 'flux-controller',
    });
    const manager = [{ label: 'container', value: 'manager' }];
    expect(up).toMatchObject({ metric: 'up', source: 'prometheus', matchers: manager });
  });

  it('reads a LogQL stream selector', () => {
    const [family] = logqlFamilies('sum(count_over_time({namespace="flux-system", app=~"$controller"} | json [5m]))');
    expect(family).toEqual({
      metric: '{}', matchers: [{ label: 'namespace', op: '=', value: 'flux-system' }], labels: ['namespace', 'app'],
      source: 'loki',
    });
  });

  it('finds families in every panel of every dashboard and every alert, each metric catalogued', () => {
    for (const flavor of ['kube-state-metrics', 'legacy', 'flux-operator'] as const) {
      const config = resolveConfig({ flavor });
      const dashboards = panelFamilies(config);
      expect(dashboards.length).toBeGreaterThanOrEqual(3);
      for (const dashboard of dashboards) {
        // A panel showing what another fetched (`-- Dashboard --`) reads its source panel's families.
        for (const panel of dashboard.panels) {
          expect(panel.families.length, `${dashboard.uid} ${panel.title}`).toBeGreaterThan(0);
          for (const family of panel.families.filter((f) => f.source !== 'loki')) {
            expect(family.catalogued, family.metric).toBeDefined();
          }
        }
      }
      for (const alert of alertFamilies(config)) expect(alert.families.length, alert.name).toBeGreaterThan(0);
    }
    const readiness = panelFamilies(resolveConfig({})).flatMap((d) => d.panels).flatMap((p) => p.families);
    expect(readiness.some((family) => family.metric === 'gotk_resource_info')).toBe(true);
    expect(Object.keys(catalogue)).toContain('gotk_resource_info');
  });
});

describe('releases', () => {
  it('maps every controller tag of every release back to that release', () => {
    for (const release of fluxReleases) {
      for (const controller of Object.keys(controllerReleases[release])) {
        expect(fluxReleaseOfImage(controller, controllerImageTag(release, controller)!)).toBe(release);
        const patched = `${controllerImageTag(release, controller)!.replace(/0$/, '3')}@sha256:ab`;
        expect(fluxReleaseOfImage(controller, patched)).toBe(release);
      }
    }
    expect(fluxReleaseOfImage('helm-controller', 'v0.35.1')).toBe('2.0');
    expect(fluxReleaseOfImage('helm-controller', 'v9.9.9')).toBeUndefined();
  });

  it('says which kinds the legacy flavour of a release leaves out', () => {
    expect(kindsMissingFromReadiness('legacy', '2.0')).toEqual([]);
    expect(kindsMissingFromReadiness('legacy', '2.2')).toEqual(['HelmRelease']);
    expect(kindsMissingFromReadiness('legacy', '2.5')).toContain('Kustomization');
    expect(kindsMissingFromReadiness('legacy', '2.3')).toEqual(['HelmRelease', 'ImageUpdateAutomation']);
    expect(kindsMissingFromReadiness('kube-state-metrics', '2.5')).toEqual([]);
  });
});

describe('--at', () => {
  it('takes RFC 3339 and Unix seconds, and refuses anything else in one line', () => {
    expect(parseTime('2026-03-01T12:00:00Z')).toBe(1772366400);
    expect(parseTime('2026-03-01T13:00:00+01:00')).toBe(1772366400);
    expect(parseTime('1772366400')).toBe(1772366400);
    expect(() => parseTime('yesterday')).toThrow(/--at is "yesterday"; give RFC 3339/);
    expect(() => parseTime('2026-03-01')).toThrow(/RFC 3339/);
  });
});

describe('the configuration init writes', () => {
  it('holds only what differs from the defaults, each line saying what was seen', () => {
    const text = configText({
      flavor: { value: 'legacy', seen: 'only gotk_reconcile_condition' },
      fluxVersion: { value: '2.4', seen: 'images' },
      clusterLabel: { value: null, seen: 'no cluster label' },
      namespace: { value: 'flux-system', seen: 'controllers there' },
      objectNamespaceLabel: { value: 'exported_namespace', seen: 'nothing', undecided: true },
      lokiPreset: { value: 'alloy-k8s-monitoring-v3-plus', seen: 'pod is structured metadata' },
    });
    expect(text.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([
      'flavor: "legacy" # only gotk_reconcile_condition',
      'clusterLabel: null # no cluster label',
      'loki:',
      '  preset: alloy-k8s-monitoring-v3-plus # pod is structured metadata',
    ]);
    expect(text).toMatch(/# objectNamespaceLabel: left at its default "exported_namespace": nothing/);
  });
});

describe('bad input: one line, exit code 2, within --timeout', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function doctor(args: string[]) {
    const err: string[] = [];
    const started = Date.now();
    const code = await runCli(['doctor', ...args], {}, { out: () => undefined, err: (line) => err.push(line) });
    return { code, err, seconds: (Date.now() - started) / 1000 };
  }

  it('an unreachable URL', async () => {
    const url = await serve(() => undefined);
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await doctor(['--prometheus', url]);
    expect(result.code).toBe(2);
    const line = /^error: cannot reach Prometheus at .*ECONNREFUSED.*check the URL/;
    expect(result.err).toEqual([expect.stringMatching(line)]);
  });

  it('a server that is not a Prometheus', async () => {
    const url = await serve((_, response) => response.end('<html>Grafana</html>'));
    const result = await doctor(['--prometheus', url]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/without JSON: is http:.* a Prometheus\?/)]);
  });

  it('refused credentials, and the credentials sent', async () => {
    const seen: Array<string | undefined> = [];
    const url = await serve((request, response) => {
      seen.push(request.headers.authorization, request.headers['x-scope-orgid'] as string | undefined);
      response.writeHead(401);
      response.end('unauthorized');
    });
    const result = await doctor(['--prometheus', url, '--basic-auth', 'user:secret', '--tenant', 'team-a']);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/refused the credentials \(HTTP 401\); check --basic-auth/)]);
    expect(seen).toEqual([`Basic ${Buffer.from('user:secret').toString('base64')}`, 'team-a']);
    await doctor(['--prometheus', url, '--bearer-token', 'token-1']);
    expect(seen.at(-2)).toBe('Bearer token-1');
  });

  it('a server that never answers gives up at --timeout', async () => {
    const url = await serve(() => undefined);
    const result = await doctor(['--prometheus', url, '--timeout', '1']);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/did not answer within --timeout 1 s/)]);
    expect(result.seconds).toBeLessThan(10);
  });

  it('bad arguments', async () => {
    expect((await doctor([])).err).toEqual([expect.stringMatching(/--prometheus URL is required/)]);
    expect((await doctor(['--prometheus', 'localhost:9090'])).err[0]).toMatch(/must be an http or https URL/);
    expect((await doctor(['--prometheus', 'http://x', '--timeout', '0'])).err[0]).toMatch(/greater than 0/);
    expect((await doctor(['--prometheus', 'http://x', '--at', 'soon'])).code).toBe(2);
    expect((await doctor(['--prometheus', 'http://x', '--basic-auth', 'nocolon'])).err[0]).toMatch(/USER:PASSWORD/);
  });
});
