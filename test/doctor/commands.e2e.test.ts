/**
 * `init` and `doctor` against a real Prometheus holding one installation per case, each ending at its own time: `init`
 * writes the configuration the fleet was built as, `build` accepts it, `doctor` finds every panel drawing; with a
 * piece taken away `doctor` exits 1 naming exactly that piece; a configuration that does not match the data is caught.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../cli/main';
import { isAtLeast, newestLegacyRelease } from '../../model/flux-releases';
import { parseConfig, resolveConfig, type ConfigInput } from '../../config';
import type { CauseId } from '../../inspect/causes';
import type { DoctorReport, FamilyFinding } from '../../inspect/doctor';
import type { LogPipeline } from '../../fixtures/fleet/flux-logs';
import { configOfFleet, serveInstallations, type Installation, type ServedInstallations } from './fleets';
import { startLokiStandIn } from './loki-stand-in';

const complete: Installation[] = [
  { name: 'kube-state-metrics, two clusters, newest Flux', fleet: { clusters: 2 } },
  { name: 'legacy, Flux 2.0, no cluster label', fleet: { flavor: 'legacy', fluxVersion: '2.0', clusterLabel: null },
    withoutFluxInstance: true },
  { name: 'legacy, Flux 2.2', fleet: { flavor: 'legacy', fluxVersion: '2.2' }, withoutFluxInstance: true },
  { name: 'Flux Operator, two clusters', fleet: { flavor: 'flux-operator', clusters: 2 } },
  { name: 'honor_labels, no cluster label, Flux 2.5',
    fleet: { clusterLabel: null, objectNamespaceLabel: 'namespace', fluxVersion: '2.5' } },
  { name: 'Flux 2.3 in namespace flux, from the images', fleet: { fluxVersion: '2.3', fluxNamespace: 'flux' },
    withoutFluxInstance: true },
  // Every other release, read from the controllers' images: legacy up to the last release that writes its metric.
  ...(['2.1', '2.4', '2.6', '2.7', '2.8'] as const).map((fluxVersion): Installation => ({
    name: `Flux ${fluxVersion} from the images`, withoutFluxInstance: true,
    fleet: { fluxVersion, flavor: isAtLeast(newestLegacyRelease, fluxVersion) ? 'legacy' : 'kube-state-metrics' },
  })),
];

const controllersJob = 'job="monitoring/flux-system"';
/** Pieces taken away from a complete installation, the sources doctor must blame, and words its fix must say. */
const broken: Array<Installation & { blamed: string[]; causes: CauseId[]; fix: RegExp }> = [
  { name: 'no gotk_resource_info', fleet: {}, edit: (line) => (line.startsWith('gotk_resource_info{') ? null : line),
    blamed: ['flux-resource-state'], causes: ['no-flux-state-config'],
    fix: /kube-state-metrics\/flux-resources\.yaml/ },
  { name: 'no cAdvisor', fleet: {}, edit: (line) => (line.startsWith('container_') ? null : line),
    blamed: ['cadvisor'], causes: ['cadvisor-missing'], fix: /cAdvisor/ },
  { name: 'controllers unscraped', fleet: {}, edit: (line) => (line.includes(controllersJob) ? null : line),
    blamed: ['flux-controller', 'prometheus'], causes: ['controllers-unscraped'], fix: /podmonitor\.yaml/ },
  { name: 'an allow-list that kept only up', fleet: {},
    edit: (line) => (line.includes(controllersJob) && !line.startsWith('up{') ? null : line),
    blamed: ['flux-controller'], causes: ['controller-metric-dropped'], fix: /allow-list|includeMetrics/ },
];

const operatorTwice: Installation = {
  name: 'the Flux Operator scraped twice', fleet: {},
  edit: (line) => (line.startsWith('flux_operator_info{')
    ? `${line}\n${line.replace(/job="[^"]+"/, 'job="flux-system/flux-operator-servicemonitor"')}` : line),
};

/** kube-state-metrics configured with objectLabels [team]: every Flux object's series carries its team. */
const ownerLabelled: Installation = {
  name: 'Flux objects labelled with their team', fleet: {},
  edit: (line) => line.replace(/^gotk_resource_info\{/, 'gotk_resource_info{team="apps",'),
};

let served: ServedInstallations;
const workDir = mkdtempSync(join(tmpdir(), 'flux-doctor-'));

beforeAll(async () => {
  served = await serveInstallations([...complete, ...broken, operatorTwice, ownerLabelled]);
});
afterAll(async () => served?.stop());

const installation = (name: string) => served.installations.find((candidate) => candidate.name === name)!;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {}, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function doctor(name: string, config: ConfigInput, extra: string[] = []) {
  const file = join(workDir, `${name.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(config));
  const result = await run(['doctor', '--prometheus', served.prometheus.url, '--at', String(installation(name).at),
    '--config', file, '--json', ...extra]);
  return { ...result, report: result.code < 2 ? JSON.parse(result.out) as DoctorReport : undefined };
}

const problemsOf = (report: DoctorReport): FamilyFinding[] =>
  [...report.dashboards.flatMap((dashboard) => dashboard.panels), ...report.alerts].flatMap((panel) => panel.problems);

describe('init writes the configuration each fleet was built as', () => {
  it.each(complete.map((c) => c.name))('%s', async (name) => {
    const out = join(workDir, `${name.replace(/\W+/g, '-')}.yaml`);
    const result = await run(['init', '--prometheus', served.prometheus.url, '--at', String(installation(name).at),
      '--out', out]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const written = resolveConfig(parseConfig(text, out));
    const expected = resolveConfig(configOfFleet(installation(name).options));
    expect(written).toEqual(expected);
    // Every option it writes says what it saw.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/ # \S/);

    // build accepts it, and doctor finds every panel the installation can fill drawing.
    const build = await run(['build', '--config', out, '--out', join(workDir, `${name.replace(/\W+/g, '-')}-dist`)]);
    expect(build.code, build.err).toBe(0);
    const checked = await run(['doctor', '--prometheus', served.prometheus.url, '--at', String(installation(name).at),
      '--config', out, '--json']);
    const report = JSON.parse(checked.out) as DoctorReport;
    expect(problemsOf(report).map((problem) => problem.reason)).toEqual([]);
    expect(report.mismatches).toEqual([]);
    expect(checked.code).toBe(0);
    const panels = report.dashboards.flatMap((dashboard) => dashboard.panels);
    expect(panels.filter((panel) => panel.state === 'draws').length).toBeGreaterThan(40);
  });

  it('refuses to overwrite a file without --force, and overwrites it with', async () => {
    const out = join(workDir, 'existing.yaml');
    writeFileSync(out, 'flavor: legacy\n');
    const args = ['init', '--prometheus', served.prometheus.url, '--at', String(installation(complete[0]!.name).at),
      '--out', out];
    const refused = await run(args);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/exists: give --force/);
    expect(readFileSync(out, 'utf8')).toBe('flavor: legacy\n');
    expect((await run([...args, '--force'])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe('flavor: legacy\n');
  });

  it('says what it could not tell and leaves it at the default', async () => {
    const out = join(workDir, 'nothing.yaml');
    // Long before any fleet: the Prometheus holds nothing then.
    const result = await run(['init', '--prometheus', served.prometheus.url, '--at', '1000000000', '--out', out]);
    expect(result.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toMatch(/# flavor: left at its default .*could not tell/);
  });
});

describe('doctor names exactly the missing piece', () => {
  it.each(broken.map((b) => b.name))('%s', async (name) => {
    const piece = broken.find((candidate) => candidate.name === name)!;
    const { code, report } = await doctor(name, {});
    expect(code).toBe(1);
    const problems = problemsOf(report!);
    expect(problems.length).toBeGreaterThan(0);
    expect([...new Set(problems.map((problem) => problem.family.source))].sort()).toEqual([...piece.blamed].sort());
    for (const problem of problems) expect(problem.fix).toMatch(piece.fix);
    expect([...new Set(problems.map((problem) => problem.cause))]).toEqual(piece.causes);
    expect(report!.mismatches).toEqual([]);
  });

  it('prints each empty panel with its reason and fix', async () => {
    const name = broken[0]!.name;
    const file = join(workDir, 'plain.yaml');
    writeFileSync(file, '{}\n');
    const result = await run(['doctor', '--prometheus', served.prometheus.url, '--at', String(installation(name).at),
      '--config', file]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/EMPTY {2}Objects\n {6}gotk_resource_info: no series\. kube-state-metrics has no Flux /);
    expect(result.out).toMatch(/Flux Control Plane \(flux-control-plane\)[^\n]*\n {2}\d+ of \d+ panels draw/);
  });
});

describe('doctor catches a configuration that does not match the data', () => {
  it('clusterLabel set but no series carry it', async () => {
    const config = { flavor: 'legacy', fluxVersion: '2.0' } as const;
    const { code, report } = await doctor('legacy, Flux 2.0, no cluster label', config);
    expect(code).toBe(1);
    expect(report!.mismatches.map((m) => m.check)).toEqual(['clusterLabel']);
  });

  it('exported_namespace configured but the scrape honours labels', async () => {
    const { code, report } = await doctor('honor_labels, no cluster label, Flux 2.5',
      { clusterLabel: null, fluxVersion: '2.5' });
    expect(code).toBe(1);
    expect(report!.mismatches.map((m) => m.check)).toEqual(['objectNamespaceLabel']);
  });

  it('a fluxVersion whose API versions the cluster does not serve', async () => {
    const { code, report } = await doctor('legacy, Flux 2.2', { flavor: 'legacy', fluxVersion: '2.4' });
    expect(code).toBe(1);
    expect(report!.mismatches.map((m) => m.check)).toEqual(['fluxVersion']);
    expect(report!.mismatches[0]!.message).toMatch(/cluster serves/);
  });

  it('objectLabels that gotk_resource_info carries pass; one it does not carry is named, with its fix', async () => {
    const carried = await doctor(ownerLabelled.name, { objectLabels: ['team'] });
    expect(carried.report!.mismatches).toEqual([]);
    expect(carried.code).toBe(0);
    const { code, report } = await doctor(ownerLabelled.name, { objectLabels: ['team', 'app.kubernetes.io/part-of'] });
    expect(code).toBe(1);
    expect(report!.mismatches).toEqual([{
      check: 'objectLabels',
      message: 'objectLabels has "app.kubernetes.io/part-of" but no gotk_resource_info series carries ' +
        'app_kubernetes_io_part_of: the per-object alerts cannot be routed by it',
      fix: expect.stringMatching(/kube-state-metrics\/flux-resources\.yaml built with this objectLabels/),
    }]);
    const unlabelled = await doctor('kube-state-metrics, two clusters, newest Flux', { objectLabels: ['team'] });
    expect(unlabelled.report!.mismatches.map((m) => m.check)).toEqual(['objectLabels']);
  });

  it('the Flux Operator counted twice', async () => {
    const { code, report } = await doctor(operatorTwice.name, {});
    expect(code).toBe(1);
    expect(report!.mismatches.map((m) => m.check)).toEqual(['operatorScrapedTwice']);
    expect(report!.mismatches[0]!.message).toMatch(/flux-operator-servicemonitor/);
  });

  it('says which kinds the legacy flavour of a release leaves out', async () => {
    const { report } = await doctor('legacy, Flux 2.2', { flavor: 'legacy', fluxVersion: '2.2' });
    expect(report!.notes.join(' ')).toMatch(/Flux 2\.2 writes no gotk_reconcile_condition for HelmRelease/);
  });
});

describe('Loki: the preset from the streams, and the log panels checked', () => {
  const pipelines: LogPipeline[] = ['promtail', 'alloy-k8s-monitoring-v1-v2', 'alloy-k8s-monitoring-v3-plus'];
  const name = complete[0]!.name;

  it.each(pipelines)('%s', async (pipeline) => {
    const loki = await startLokiStandIn({ pipeline, cluster: 'production-eu', tenant: 'team-a' });
    try {
      const out = join(workDir, `loki-${pipeline}.yaml`);
      const at = String(installation(name).at);
      const init = await run(['init', '--prometheus', served.prometheus.url, '--loki', loki.url, '--loki-tenant',
        'team-a', '--at', at, '--out', out]);
      expect(init.code, init.err).toBe(0);
      expect(resolveConfig(parseConfig(readFileSync(out, 'utf8'), out)).loki.preset).toBe(pipeline);

      const checked = await run(['doctor', '--prometheus', served.prometheus.url, '--loki', loki.url, '--tenant',
        'team-a', '--at', at, '--config', out, '--json']);
      expect(checked.code).toBe(0);
      const report = JSON.parse(checked.out) as DoctorReport;
      const logs = report.dashboards.find((dashboard) => dashboard.uid === 'flux-logs')!;
      expect(logs.panels.every((panel) => panel.state === 'draws')).toBe(true);

      // Promtail's streams carry `pod` too, so every preset reads them; Alloy's lack `app`, which promtail's reads.
      if (pipeline === 'promtail') return;
      const mismatched = await doctor(name, { loki: { preset: 'promtail' } },
        ['--loki', loki.url, '--loki-tenant', 'team-a']);
      expect(mismatched.code).toBe(1);
      expect(problemsOf(mismatched.report!).every((problem) => problem.family.source === 'loki')).toBe(true);
      expect(problemsOf(mismatched.report!)[0]!.fix).toMatch(/loki\.preset/);
    } finally {
      await loki.stop();
    }
  });

  it('a Loki that refuses the tenant is bad input, in one line', async () => {
    const loki = await startLokiStandIn({ pipeline: 'promtail', tenant: 'team-a' });
    try {
      const result = await doctor(name, {}, ['--loki', loki.url]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^error: Loki at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\)/);
      expect(result.err.split('\n')).toHaveLength(1);
    } finally {
      await loki.stop();
    }
  });
});
