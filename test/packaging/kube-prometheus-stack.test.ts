/** The kube-prometheus-stack values the build writes: keys the charts have, and what the build's objects need. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveConfig, type ConfigInput } from '../../config';
import { kindApisOf } from '../../model/flux-releases';
import { outputFiles } from '../../model/outputs';
import { kubePrometheusStackValues } from '../../packaging';
import { renderArtifacts } from '../../build/render';
import { customResourceStateConfig } from '../../scrape';
import charts from './fixtures/kube-prometheus-stack-values.json';

type Values = { [key: string]: unknown };

/** Every key path the charts document, as kube-prometheus-stack sees it (`grafana.sidecar.alerts.enabled`). */
const chartKeys = new Map(
  charts.charts.flatMap((chart) =>
    Object.entries(chart.keys).map(([key, chartDefault]) => [
      chart.under ? `${chart.under}.${key}` : key,
      chartDefault,
    ]),
  ),
);

/** The paths of a values tree's leaves; a documented key holding a list or free-form mapping is a leaf. */
function leafPaths(values: Values, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const opaque = chartKeys.has(path) && (Array.isArray(value) || path.endsWith('.config'));
    if (!opaque && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return leafPaths(value as Values, path);
    }
    return [path];
  });
}

const written = (input: ConfigInput = {}) =>
  parse(renderArtifacts(resolveConfig(input)).get(outputFiles.kubePrometheusStackValues)!) as Values;

const inputs: ConfigInput[] = [
  {},
  { flavor: 'legacy', alerts: { grafana: null } },
  { flavor: 'flux-operator', packaging: { monitoringLabels: { release: 'monitoring' } } },
];

describe('dist/kube-prometheus-stack/values.yaml', () => {
  it('the fixture names the chart versions kube-prometheus-stack depends on', () => {
    const [stack, ...dependencies] = charts.charts;
    const versions = stack!.dependencies! as Record<string, string>;
    for (const chart of dependencies) expect(versions[chart.chart], chart.chart).toBe(chart.version);
  });

  it.each(inputs)('writes only keys the charts document (%j)', (input) => {
    const paths = leafPaths(written(input));
    expect(paths.length).toBeGreaterThan(4);
    for (const path of paths) expect(chartKeys.has(path), `${path} is not a key of the charts' values.yaml`).toBe(true);
  });

  it('sets what the grafana_folder annotation needs, which neither chart sets by default', () => {
    const sidecar = (written() as { grafana: { sidecar: { dashboards: Values } } }).grafana.sidecar.dashboards;
    expect(chartKeys.get('grafana.sidecar.dashboards.folderAnnotation')).toBeNull();
    expect(chartKeys.get('grafana.sidecar.dashboards.provider.foldersFromFilesStructure')).toBe(false);
    expect(sidecar).toEqual({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
      folderAnnotation: 'grafana_folder',
      provider: { foldersFromFilesStructure: true },
    });
  });

  it('follows the configured dashboard label and folder annotation', () => {
    const dashboardLabel = { key: 'example.com/dashboard', value: 'flux' };
    const packaging = { dashboardLabel, folderAnnotation: 'example.com/folder' };
    const values = written({ packaging }) as { grafana: { sidecar: { dashboards: Values } } };
    expect(values.grafana.sidecar.dashboards).toMatchObject({
      label: 'example.com/dashboard',
      labelValue: 'flux',
      folderAnnotation: 'example.com/folder',
    });
  });

  it('turns on the alerting sidecar in every namespace only when there are Grafana-managed rules', () => {
    const alerts = (input: ConfigInput) => (written(input) as { grafana: { sidecar: Values } }).grafana.sidecar.alerts;
    expect(alerts({})).toEqual({ enabled: true, label: 'grafana_alert', labelValue: '1', searchNamespace: 'ALL' });
    expect(alerts({ alerts: { grafana: null } })).toBeUndefined();
  });

  it('adds the Flux resources to kube-state-metrics in its flavour only', () => {
    const config = resolveConfig({ fluxVersion: '2.3' });
    const ksm = (written({ fluxVersion: '2.3' }) as { 'kube-state-metrics': Values })['kube-state-metrics'];
    expect(ksm.customResourceState).toEqual({ enabled: true, config: customResourceStateConfig(config.fluxVersion) });
    const [rule] = (ksm.rbac as { extraRules: Array<{ resources: string[]; verbs: string[] }> }).extraRules;
    expect(rule!.resources).toEqual(kindApisOf('2.3').map((kind) => kind.plural));
    expect(rule!.verbs).toEqual(['list', 'watch']);
    expect(written({ flavor: 'legacy' })).not.toHaveProperty('kube-state-metrics');
    // From Flux 2.7 the rule and config cover ExternalArtifact and source-watcher's ArtifactGenerator too.
    const newest = (written({ fluxVersion: '2.7' }) as { 'kube-state-metrics': Values })['kube-state-metrics'];
    const [newestRule] = (newest.rbac as { extraRules: Array<{ apiGroups: string[]; resources: string[] }> })
      .extraRules;
    expect(newestRule!.resources).toEqual(expect.arrayContaining(['externalartifacts', 'artifactgenerators']));
    expect(newestRule!.apiGroups).toContain('source.extensions.fluxcd.io');
    const kinds = (
      newest.customResourceState as { config: ReturnType<typeof customResourceStateConfig> }
    ).config.spec.resources.map((resource) => resource.groupVersionKind.kind);
    expect(kinds).toEqual(kindApisOf('2.7').map((kind) => kind.kind));
    expect(written({ flavor: 'flux-operator' })).not.toHaveProperty('kube-state-metrics');
  });

  it('has Prometheus select the PodMonitors and PrometheusRule unless they carry the release label', () => {
    expect(written()).toHaveProperty('prometheus.prometheusSpec', {
      podMonitorSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
    });
    expect(written({ packaging: { monitoringLabels: { release: 'kps' } } })).not.toHaveProperty('prometheus');
  });

  it('is the same object the library hands out', () => {
    expect(written({ flavor: 'legacy' })).toEqual(kubePrometheusStackValues(resolveConfig({ flavor: 'legacy' })));
  });
});

describe('docs/kubernetes.md', () => {
  const page = readFileSync(new URL('../../docs/kubernetes.md', import.meta.url), 'utf8');
  const start = '<!-- kube-prometheus-stack-values -->';
  const table = page.slice(page.indexOf(start) + start.length, page.indexOf('<!-- /kube-prometheus-stack-values -->'));

  /** `a.b.c`, `.d` → a.b.c, a.b.d: a key starting with a dot is a sibling of the row's first. */
  const documented = table
    .trim()
    .split('\n')
    .slice(2)
    .flatMap((row) => {
      const keys = [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
      const parent = keys[0]!.split('.').slice(0, -1).join('.');
      return keys.map((key) => (key.startsWith('.') ? `${parent}${key}` : key));
    });

  it('the table of what the values file sets names exactly the keys it can write', () => {
    const everyInput = [...inputs, { alerts: { grafana: null } }];
    const writable = new Set(everyInput.flatMap((input) => leafPaths(written(input))));
    expect(documented.length).toBeGreaterThan(5);
    expect([...new Set(documented)].sort()).toEqual([...writable].sort());
  });
});
