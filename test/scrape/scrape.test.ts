import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { newestFluxRelease, resolveConfig, type Config } from '../../config';
import { targetLabels } from '../../model/catalogue';
import { kindApiOf, kindApisOf } from '../../model/flux-releases';
import { fluxKinds } from '../../model/kinds';
import { renderArtifacts } from '../../build/render';
import { manifestFiles, outputFiles, outputFolders } from '../../model/outputs';
import { scrapeArtifacts } from '../../scrape';
import { configMatrix } from '../configs';

interface ResourceMetrics {
  groupVersionKind: { group: string; version: string; kind: string };
  metricNamePrefix: string;
  metrics: Array<{
    name: string;
    help: string;
    each: { type: string; info: { labelsFromPath: Record<string, string[]> } };
    labelsFromPath: Record<string, string[]>;
  }>;
}
interface CustomResourceState {
  kind: string;
  spec: { resources: ResourceMetrics[] };
}

const defaults = resolveConfig();
const scrape = scrapeArtifacts(defaults);
const fileOf = (artifacts: Map<string, string>, path: string) => {
  const content = artifacts.get(path);
  if (content === undefined) throw new Error(`${path} was not built`);
  return content;
};
const customResourceState = parse(fileOf(scrape.files, outputFiles.customResourceState)) as CustomResourceState;
const podMonitorOf = (config: Config) => {
  const manifest = scrapeArtifacts(config).manifests.find(({ file }) => file === manifestFiles.podMonitor);
  if (!manifest) throw new Error('the PodMonitor was not built');
  return parse(manifest.yaml);
};
const resources = customResourceState.spec.resources;

/** How kube-state-metrics reads a `labelsFromPath` path: fields, list indices and `[key=value]` list filters. */
function valueAt(object: unknown, path: string[]): string | undefined {
  let current: unknown = object;
  for (const segment of path) {
    const filter = /^\[(\w+)=(.*)\]$/.exec(segment);
    if (filter && Array.isArray(current))
      current = current.find((item: Record<string, unknown>) => String(item[filter[1]!]) === filter[2]);
    else if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (current !== null && typeof current === 'object') current = (current as Record<string, unknown>)[segment];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current === null || typeof current === 'object' ? undefined : String(current);
}

/** The labels of the `gotk_resource_info` series kube-state-metrics would export for the object. */
function seriesLabels(object: { kind: string }): Record<string, string> {
  const resource = resources.find((candidate) => candidate.groupVersionKind.kind === object.kind);
  if (!resource) throw new Error(`no resource for ${object.kind}`);
  const metric = resource.metrics[0]!;
  const paths = { ...metric.each.info.labelsFromPath, ...metric.labelsFromPath };
  return Object.fromEntries(
    Object.entries(paths).flatMap(([label, path]) => {
      const value = valueAt(object, path);
      return value === undefined ? [] : [[label, value]];
    }),
  );
}

/** Every label a PromQL text reads off `gotk_resource_info`: its matchers, grouping labels and label_values. */
function resourceInfoLabels(expr: string): string[] {
  if (!expr.includes('gotk_resource_info')) return [];
  const labels = [...expr.matchAll(/gotk_resource_info\s*\{([^}]*)\}/g)].flatMap((match) =>
    [...match[1]!.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((matcher) => matcher[1]!),
  );
  labels.push(...[...expr.matchAll(/label_values\(gotk_resource_info[^,]*,\s*(\w+)\)/g)].map((match) => match[1]!));
  const metrics = new Set([...expr.matchAll(/([a-zA-Z_:][\w:]*)\s*\{/g)].map((match) => match[1]));
  // Grouping labels belong to gotk_resource_info only when no other metric is in the expression.
  if (metrics.size === 1) {
    for (const clause of expr.matchAll(/\b(?:by|on|ignoring)\s*\(([^)]*)\)/g)) {
      labels.push(
        ...clause[1]!
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean),
      );
    }
  }
  return labels;
}

/** Every query text in the built files: dashboard targets and variables, rule expressions. */
function queryTexts(artifacts: Map<string, string>): string[] {
  const texts: string[] = [];
  const walk = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      if (key === 'expr' || key === 'query' || key === 'definition') texts.push(value);
    } else if (Array.isArray(value)) value.forEach((item) => walk(item));
    else if (value && typeof value === 'object') Object.entries(value).forEach(([name, item]) => walk(item, name));
  };
  for (const [path, content] of artifacts) {
    if (path.startsWith(`${outputFolders.kubeStateMetrics}/`)) continue;
    if (path.endsWith('.json')) walk(JSON.parse(content));
    else if (/\.ya?ml$/.test(path)) walk(parse(content));
  }
  return texts;
}

describe('kube-state-metrics CustomResourceState configuration', () => {
  it('is a CustomResourceStateMetrics document with one gotk_resource_info per kind of the newest Flux release', () => {
    expect(customResourceState.kind).toBe('CustomResourceStateMetrics');
    const kinds = resources.map((resource) => resource.groupVersionKind.kind);
    expect(kinds).toEqual(kindApisOf(newestFluxRelease).map((kind) => kind.kind));
    // The dashboards' kinds, ExternalArtifact (Flux 2.7) and source-watcher's ArtifactGenerator.
    const dashboardKinds = fluxKinds.map((kind) => kind.kind);
    expect(kinds).toEqual(expect.arrayContaining([...dashboardKinds, 'ExternalArtifact', 'ArtifactGenerator']));
    expect(resources).toHaveLength(15);
    for (const resource of resources) {
      const kind = kindApiOf(resource.groupVersionKind.kind, newestFluxRelease);
      expect(resource.groupVersionKind).toEqual({ group: kind.group, version: kind.version, kind: kind.kind });
      expect(resource.groupVersionKind.group).toMatch(/\.fluxcd\.io$/);
      expect(`${resource.metricNamePrefix}_${resource.metrics[0]!.name}`).toBe('gotk_resource_info');
      expect(resource.metrics[0]!.each.type).toBe('Info');
    }
  });

  it('gives every kind its own help text (kube-state-metrics ≥ 2.12 keeps one kind per help text)', () => {
    const helps = resources.map((resource) => resource.metrics[0]!.help);
    expect(new Set(helps).size).toBe(resources.length);
    for (const resource of resources) expect(resource.metrics[0]!.help).toContain(resource.groupVersionKind.kind);
  });

  it('produces every label the dashboards and alert rules read from gotk_resource_info, in every configuration', () => {
    const produced = new Set(
      resources.flatMap((resource) => [
        ...Object.keys(resource.metrics[0]!.labelsFromPath),
        ...Object.keys(resource.metrics[0]!.each.info.labelsFromPath),
      ]),
    );
    // kube-state-metrics adds these itself; the scrape adds its target labels and the cluster label.
    const automatic = new Set([
      'customresource_group',
      'customresource_kind',
      'customresource_version',
      ...targetLabels['flux-resource-state'],
    ]);
    for (const { name, config } of configMatrix.filter(({ config }) => config.flavor === 'kube-state-metrics')) {
      const read = new Set(queryTexts(renderArtifacts(config)).flatMap(resourceInfoLabels));
      if (config.clusterLabel) read.delete(config.clusterLabel);
      const needed = [...read].filter((label) => !automatic.has(label));
      // The extraction must see the readiness tables' columns, or this test proves nothing.
      expect(needed, name).toEqual(
        expect.arrayContaining(['ready', 'ready_reason', 'stalled', 'suspended', 'revision', 'exported_namespace']),
      );
      expect(
        needed.filter((label) => !produced.has(label)),
        name,
      ).toEqual([]);
    }
  });

  it('reads the Ready reason and the Reconciling and Stalled conditions off a failing Kustomization', () => {
    const kustomization = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { suspend: false, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
      status: {
        lastAppliedRevision: 'main@sha1:30081ad7',
        conditions: [
          { type: 'Reconciling', status: 'False', reason: 'Succeeded' },
          { type: 'Ready', status: 'False', reason: 'BuildFailed' },
          { type: 'Stalled', status: 'True', reason: 'BuildFailed' },
        ],
      },
    };
    expect(seriesLabels(kustomization)).toEqual({
      name: 'apps',
      exported_namespace: 'flux-system',
      suspended: 'false',
      ready: 'False',
      ready_reason: 'BuildFailed',
      reconciling: 'False',
      stalled: 'True',
      revision: 'main@sha1:30081ad7',
      source_name: 'flux-system',
    });
  });

  it('reads the chart of a HelmRelease off its latest release, and leaves Alerts without readiness', () => {
    const helmRelease = {
      kind: 'HelmRelease',
      metadata: { name: 'podinfo', namespace: 'apps' },
      spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'UpgradeSucceeded' }],
        history: [
          { chartName: 'podinfo', chartVersion: '6.7.1', appVersion: '6.7.1' },
          { chartName: 'podinfo', chartVersion: '6.7.0' },
        ],
      },
    };
    expect(seriesLabels(helmRelease)).toMatchObject({
      ready: 'True',
      ready_reason: 'UpgradeSucceeded',
      revision: '6.7.1',
      chart_name: 'podinfo',
      chart_source_name: 'podinfo',
    });
    const alert = { kind: 'Alert', metadata: { name: 'slack', namespace: 'flux-system' }, spec: { suspend: true } };
    expect(seriesLabels(alert)).toEqual({ name: 'slack', exported_namespace: 'flux-system', suspended: 'true' });
    for (const kind of kindApisOf(newestFluxRelease).filter((candidate) => candidate.hasConditions)) {
      expect(
        Object.keys(
          resources.find((resource) => resource.groupVersionKind.kind === kind.kind)!.metrics[0]!.labelsFromPath,
        ),
        kind.kind,
      ).toEqual(
        expect.arrayContaining(['ready', 'ready_reason', 'reconciling', 'stalled', 'suspended', 'exported_namespace']),
      );
    }
  });

  it('reads the revision and producer of an ExternalArtifact', () => {
    const artifact = {
      kind: 'ExternalArtifact',
      metadata: { name: 'podinfo-manifests', namespace: 'apps' },
      spec: { sourceRef: { kind: 'ArtifactGenerator', name: 'podinfo' } },
      status: {
        artifact: { revision: 'latest@sha256:4e1f' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded' }],
      },
    };
    expect(seriesLabels(artifact)).toEqual({
      name: 'podinfo-manifests',
      exported_namespace: 'apps',
      ready: 'True',
      ready_reason: 'Succeeded',
      revision: 'latest@sha256:4e1f',
      source_name: 'podinfo',
    });
  });
});

describe('kube-prometheus-stack values for its kube-state-metrics', () => {
  const valuesFile = renderArtifacts(defaults).get(outputFiles.kubePrometheusStackValues)!;
  const values = parse(valuesFile) as Record<string, Record<string, unknown>>;
  const ksm = values['kube-state-metrics']!;

  it('carries the same CustomResourceState config', () => {
    expect(ksm.customResourceState).toEqual({ enabled: true, config: customResourceState });
  });

  it('keeps the standard kube-state-metrics metrics (no collectors: [], no --custom-resource-state-only)', () => {
    expect(Object.keys(ksm)).toEqual(['rbac', 'customResourceState']);
    expect(ksm).not.toHaveProperty('collectors');
    expect(ksm).not.toHaveProperty('extraArgs');
    expect(valuesFile).not.toMatch(/custom-resource-state-only|collectors/);
  });

  it('lets kube-state-metrics list and watch every Flux kind', () => {
    const rules = (ksm.rbac as { extraRules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> })
      .extraRules;
    for (const kind of kindApisOf(newestFluxRelease)) {
      const rule = rules.find(
        (candidate) => candidate.apiGroups.includes(kind.group) && candidate.resources.includes(kind.plural),
      );
      expect(rule, kind.kind).toBeDefined();
      expect(rule!.verbs).toEqual(expect.arrayContaining(['list', 'watch']));
    }
  });
});

describe('PodMonitor', () => {
  it('scrapes every Flux controller in the configured namespace on http-prom', () => {
    const monitor = podMonitorOf(resolveConfig({ namespace: 'gitops' }));
    expect(monitor).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' });
    expect(monitor.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/part-of': 'flux' } });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['gitops'] });
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http-prom' }]);
  });

  it("honours the controllers' namespace label when the config says the object namespace is in `namespace`", () => {
    const monitor = podMonitorOf(resolveConfig({ objectNamespaceLabel: 'namespace' }));
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http-prom', honorLabels: true }]);
  });
});

describe('labels and annotations for the Prometheus Operator selectors', () => {
  const config = resolveConfig({
    packaging: {
      monitoringLabels: { release: 'kube-prometheus-stack' },
      monitoringAnnotations: { 'example.com/owner': 'platform team' },
    },
  });
  const artifacts = renderArtifacts(config);
  const manifests = [
    'kubernetes/podmonitor.yaml',
    'kubernetes/prometheusrule.yaml',
    'grafana-operator/podmonitor.yaml',
    'grafana-operator/prometheusrule.yaml',
  ];

  it.each(manifests)('%s carries the configured labels beside its own, and the annotations', (path) => {
    const { metadata } = parse(fileOf(artifacts, path)) as {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
    };
    expect(metadata.labels.release).toBe('kube-prometheus-stack');
    expect(metadata.labels['app.kubernetes.io/part-of'] ?? metadata.labels['app.kubernetes.io/name']).toMatch(/^flux/);
    expect(metadata.annotations).toEqual({ 'example.com/owner': 'platform team' });
  });

  it("the Flux Operator's PodMonitor carries them too, in its flavour", () => {
    const operator = renderArtifacts(resolveConfig({ ...config, flavor: 'flux-operator' }));
    const { metadata } = parse(fileOf(operator, outputFiles.operatorPodMonitor)) as {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
    };
    expect(metadata.labels.release).toBe('kube-prometheus-stack');
    expect(metadata.annotations).toEqual({ 'example.com/owner': 'platform team' });
  });

  it.each(manifests)('%s has neither without configuration', (path) => {
    const { metadata } = parse(fileOf(renderArtifacts(defaults), path)) as {
      metadata: { labels: Record<string, string>; annotations?: unknown };
    };
    expect(metadata.labels.release).toBeUndefined();
    expect(metadata.annotations).toBeUndefined();
  });

  it('refuses a label value Kubernetes would refuse', () => {
    expect(() => resolveConfig({ packaging: { monitoringLabels: { release: 'kube prometheus' } } })).toThrow(
      'packaging.monitoringLabels.release is "kube prometheus"; allowed: a Kubernetes label value',
    );
  });
});

describe('scrape files', () => {
  it('are the same bytes on every build, and dist/ holds the default build', () => {
    expect(scrapeArtifacts(resolveConfig())).toEqual(scrape);
    const committed = (path: string) => readFileSync(new URL(`../../dist/${path}`, import.meta.url), 'utf8');
    for (const [path, content] of scrape.files) expect(committed(path), path).toBe(content);
    for (const folder of [outputFolders.kubernetes, outputFolders.grafanaOperator]) {
      for (const { file, yaml } of scrape.manifests) {
        expect(committed(`${folder}/${file}`), `${folder}/${file}`).toBe(yaml);
      }
    }
  });

  it('leave the kube-state-metrics config out of a legacy build (it reads readiness from the controllers)', () => {
    const legacy = scrapeArtifacts(resolveConfig({ flavor: 'legacy' }));
    expect([...legacy.files.keys()]).toEqual([]);
    expect(legacy.manifests.map(({ file }) => file)).toEqual([manifestFiles.podMonitor]);
  });

  it('give the flux-operator flavour no kube-state-metrics config and a PodMonitor of the operator', () => {
    for (const objectNamespaceLabel of ['exported_namespace', 'namespace'] as const) {
      const config = resolveConfig({ flavor: 'flux-operator', namespace: 'gitops', objectNamespaceLabel });
      const artifacts = scrapeArtifacts(config);
      expect([...artifacts.files.keys()]).toEqual([]);
      const files = artifacts.manifests.map(({ file }) => file);
      expect(files.sort()).toEqual([manifestFiles.operatorPodMonitor, manifestFiles.podMonitor].sort());
      const monitor = parse(artifacts.manifests.find(({ file }) => file === manifestFiles.operatorPodMonitor)!.yaml);
      expect(monitor).toMatchObject({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'flux-operator' },
      });
      // The operator's Deployment labels its pods app.kubernetes.io/name and names its :8080 port http-metrics.
      expect(monitor.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'flux-operator' } });
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['gitops'] });
      expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http-metrics' }]);
    }
  });

  it("package the operator's PodMonitor in both kustomizations", () => {
    const artifacts = renderArtifacts(resolveConfig({ flavor: 'flux-operator' }));
    for (const folder of ['kubernetes', 'grafana-operator']) {
      const kustomization = parse(artifacts.get(`${folder}/kustomization.yaml`)!) as { resources: string[] };
      expect(kustomization.resources, folder).toContain('flux-operator-podmonitor.yaml');
      expect(artifacts.has(`${folder}/flux-operator-podmonitor.yaml`), folder).toBe(true);
    }
    expect([...artifacts.keys()].filter((path) => path.startsWith('kube-state-metrics/'))).toEqual([]);
  });
});
