/**
 * The k8s-monitoring values the build writes: valid against the chart's values.schema.json at 3.8.12 and 4.4.0, and
 * passing the checks the chart's templates run before rendering (`fail` in its validation templates, read at those
 * tags: fixtures/k8s-monitoring/SOURCES.md), once merged after a user's own values as Helm merges `-f` files.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderArtifacts } from '../../build/render';
import { resolveConfig, type Config, type ConfigInput } from '../../config';
import { catalogue, type MetricName } from '../../model/catalogue';
import { kindApisOf } from '../../model/flux-releases';
import { k8sMonitoringCollectors, type K8sMonitoringGeneration } from '../../model/k8s-monitoring';
import { outputFiles } from '../../model/outputs';
import { includeMetrics, k8sMonitoringValues } from '../../packaging';
import { customResourceStateConfig, fluxReadRule } from '../../scrape';
import schemaV3 from './fixtures/k8s-monitoring/values.schema.3.8.12.json';
import schemaV4 from './fixtures/k8s-monitoring/values.schema.4.4.0.json';

type Values = { [key: string]: any };

const schemas: Record<K8sMonitoringGeneration, object> = { v3: schemaV3, v4: schemaV4 };
const files: Record<K8sMonitoringGeneration, string> = {
  v3: outputFiles.k8sMonitoringValuesV3,
  v4: outputFiles.k8sMonitoringValuesV4,
};

/** What a user's own values hold: the cluster's name and a metrics and a logs destination (list in 3.x, map in 4.x). */
const userValues: Record<K8sMonitoringGeneration, Values> = {
  v3: {
    cluster: { name: 'prod' },
    destinations: [
      { name: 'metrics', type: 'prometheus', url: 'https://prometheus.example/api/v1/write' },
      { name: 'logs', type: 'loki', url: 'https://loki.example/loki/api/v1/push' },
    ],
  },
  v4: {
    cluster: { name: 'prod' },
    destinations: {
      metrics: { type: 'prometheus', url: 'https://prometheus.example/api/v1/write' },
      logs: { type: 'loki', url: 'https://loki.example/loki/api/v1/push' },
    },
  },
};

/** Helm's merge of `-f` files: mappings merge key by key, anything else the later file replaces. */
function helmMerge(base: Values, over: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const isMap = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    merged[key] = isMap(value) && isMap(merged[key]) ? helmMerge(merged[key], value) : value;
  }
  return merged;
}

const written = (config: Config, generation: K8sMonitoringGeneration) =>
  parse(renderArtifacts(config).get(files[generation])!) as Values;

// The features the chart knows per generation, each with the signal its destinations must carry and, for 3.x, the
// collector it uses by default (charts/k8s-monitoring/values.yaml at each tag).
const features = {
  clusterMetrics: { signal: 'prometheus', v3Collector: 'alloy-metrics' },
  clusterEvents: { signal: 'loki', v3Collector: 'alloy-singleton' },
  annotationAutodiscovery: { signal: 'prometheus', v3Collector: 'alloy-metrics' },
  prometheusOperatorObjects: { signal: 'prometheus', v3Collector: 'alloy-metrics' },
  podLogs: { signal: 'loki', v3Collector: 'alloy-logs' },
} as const;
const v3CollectorNames = ['alloy-metrics', 'alloy-singleton', 'alloy-logs', 'alloy-receiver', 'alloy-profiles'];

/** The destinations of a signal, from either generation's destinations. */
function destinationsOf(values: Values, signal: string): string[] {
  const list = Array.isArray(values.destinations)
    ? values.destinations
    : Object.entries(values.destinations ?? {}).map(([name, d]) => ({ name, ...(d as Values) }));
  return list.filter((d: Values) => d.type === signal).map((d: Values) => d.name);
}

/** The messages of every template check the values fail, for either generation. */
function templateChecks(values: Values, generation: K8sMonitoringGeneration): string[] {
  const failures: string[] = [];
  const enabledFeatures = Object.entries(features).filter(([key]) => values[key]?.enabled === true);
  // _validations.tpl "validations.cluster_name"
  if (!values.cluster?.name) failures.push('A Cluster name is required!');
  // _validations.tpl "validations.features_enabled"
  if (enabledFeatures.length === 0) failures.push('No features are enabled.');
  for (const [key, { signal }] of enabledFeatures) {
    // 3.x destinations.validate_destination_list, 4.x destinations.validate.destinationListNotEmpty
    if (destinationsOf(values, signal).length === 0) failures.push(`${key} has no ${signal} destination`);
  }
  if (generation === 'v3') {
    const enabledCollectors = v3CollectorNames.filter((name) => values[name]?.enabled === true);
    const used = enabledFeatures.map(([key, feature]) => values[key].collector ?? feature.v3Collector);
    // _collector_helpers.tpl "collectors.require_collector"
    for (const collector of used) {
      if (!enabledCollectors.includes(collector)) failures.push(`a feature requires the ${collector} collector`);
    }
    // _collector_validations.tpl "collectors.validate.featuresEnabled"
    for (const collector of enabledCollectors) {
      if (!used.includes(collector)) failures.push(`The ${collector} collector is enabled, but no feature uses it`);
    }
    return failures;
  }
  const collectors: Values = values.collectors ?? {};
  const enabledCollectors = Object.keys(collectors).filter((name) => collectors[name]?.enabled !== false).sort();
  // _collector_validations.tpl "collectors.validate.atLeastOneEnabled"
  if (enabledCollectors.length === 0) failures.push('At least one collector should be enabled');
  const used: string[] = [];
  for (const [key] of enabledFeatures) {
    // _collector_helpers.tpl "collectors.getCollectorForFeature": the named one, else the only enabled one
    const collector = values[key].collector || (enabledCollectors.length === 1 ? enabledCollectors[0] : '');
    used.push(collector);
    // _collector_validations.tpl "collectors.validate.collectorIsAssigned"
    if (!collector) failures.push(`The ${key} feature requires a collector to be assigned.`);
    else if (!enabledCollectors.includes(collector)) failures.push(`${key} wants collector ${collector}, absent`);
    // _collector_validations.tpl "collectors.validate.clusteringEnabled" (for features that scrape: not events)
    const settings: Values = collectors[collector] ?? {};
    const presets: string[] = settings.presets ?? [];
    const type = settings.controller?.type ?? (presets.includes('singleton') ? 'deployment' : 'daemonset');
    const replicas = settings.controller?.replicas ?? 1;
    const clustered = settings.alloy?.clustering?.enabled ?? presets.includes('clustered');
    if (collector && key !== 'clusterEvents' && (type === 'daemonset' || replicas > 1) && !clustered) {
      failures.push(`The ${key} feature requires clustering to be enabled on the ${collector} collector.`);
    }
  }
  // _collector_validations.tpl "collectors.validate.featuresEnabled"
  for (const collector of enabledCollectors) {
    if (!used.includes(collector)) failures.push(`The ${collector} collector is enabled, but no feature uses it`);
  }
  return failures;
}

const inputs: ConfigInput[] = [
  {},
  { flavor: 'legacy', fluxVersion: '2.4' },
  { flavor: 'flux-operator', objectNamespaceLabel: 'namespace' },
  { fluxVersion: '2.3' },
];
const generations: K8sMonitoringGeneration[] = ['v3', 'v4'];
const cases = inputs.flatMap((input) => generations.map((generation) => ({ input, generation })));

describe('dist/k8s-monitoring values', () => {
  it.each(cases)('are valid against the chart schema ($generation, $input)', ({ input, generation }) => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const { $schema: _, ...schema } = schemas[generation] as Values;
    const validate = ajv.compile(schema);
    const values = written(resolveConfig(input), generation);
    for (const candidate of [values, helmMerge(userValues[generation], values)]) {
      expect(validate(candidate), ajv.errorsText(validate.errors)).toBe(true);
    }
    // The schema does reject what the chart would not take.
    expect(validate(helmMerge(values, { clusterEvents: { enabled: 'yes' } }))).toBe(false);
  });

  it.each(cases)('pass the chart templates\' checks after the user\'s values ($generation, $input)', (testCase) => {
    const { input, generation } = testCase;
    const values = written(resolveConfig(input), generation);
    expect(templateChecks(helmMerge(userValues[generation], values), generation)).toEqual([]);
  });

  it.each(generations)('set no destinations and no cluster name: the user\'s stay in effect (%s)', (generation) => {
    const values = written(resolveConfig({}), generation);
    expect(values.destinations).toBeUndefined();
    expect(values.cluster).toBeUndefined();
    // Alone, they fail the chart's checks exactly for what the user must give.
    expect(templateChecks(values, generation)).toEqual([
      'A Cluster name is required!',
      'clusterMetrics has no prometheus destination',
      'clusterEvents has no loki destination',
      'prometheusOperatorObjects has no prometheus destination',
    ]);
  });

  it('the encoded checks catch what they guard', () => {
    const values = helmMerge(userValues.v4, written(resolveConfig({}), 'v4'));
    const unclustered = helmMerge(values, { collectors: { [k8sMonitoringCollectors.metrics]: { presets: [] } } });
    expect(templateChecks(unclustered, 'v4').join()).toMatch(/requires clustering/);
    const v3 = helmMerge(userValues.v3, written(resolveConfig({}), 'v3'));
    expect(templateChecks(helmMerge(v3, { 'alloy-singleton': { enabled: false } }), 'v3').join())
      .toMatch(/requires the alloy-singleton collector/);
    expect(templateChecks(helmMerge(v3, { 'alloy-logs': { enabled: true } }), 'v3').join())
      .toMatch(/alloy-logs collector is enabled, but no feature uses it/);
  });

  it.each(generations)('keep every kube-state-metrics, cAdvisor and API server metric the queries may read (%s)',
    (generation) => {
      const values = written(resolveConfig({}), generation);
      const kept = (source: string): string[] => values.clusterMetrics[source].metricsTuning.includeMetrics;
      const bySource = { 'kube-state-metrics': 'kube-state-metrics', 'flux-resource-state': 'kube-state-metrics',
        cadvisor: 'cadvisor', 'kubernetes-apiserver': 'apiServer' } as Record<string, string>;
      for (const [name, definition] of Object.entries(catalogue) as Array<[MetricName, { source: string }]>) {
        const source = bySource[definition.source];
        if (source) expect(kept(source), name).toContain(name);
      }
      expect(kept('kube-state-metrics')).toContain('gotk_resource_info');
    });

  it('keeps gotk_resource_info only where kube-state-metrics has the Flux config', () => {
    for (const flavor of ['legacy', 'flux-operator'] as const) {
      const config = resolveConfig({ flavor, ...(flavor === 'legacy' ? { fluxVersion: '2.4' as const } : {}) });
      expect(includeMetrics(config)['kube-state-metrics']).not.toContain('gotk_resource_info');
      for (const generation of generations) {
        expect(JSON.stringify(k8sMonitoringValues(config, generation))).not.toContain('customResourceState');
      }
    }
  });

  it.each([['v3', 'clusterMetrics'], ['v4', 'telemetryServices']] as const)(
    'give kube-state-metrics the Flux CustomResourceState config and read rule of the release (%s under %s)',
    (generation, parent) => {
      const config = resolveConfig({ fluxVersion: '2.7' });
      const chart = written(config, generation)[parent]['kube-state-metrics'];
      expect(chart.customResourceState).toEqual({ enabled: true, config: customResourceStateConfig('2.7') });
      expect(chart.rbac.extraRules).toEqual([fluxReadRule('2.7')]);
      expect(chart.rbac.extraRules[0].resources).toEqual(kindApisOf('2.7').map((kind) => kind.plural));
      expect(chart.rbac.extraRules[0].apiGroups).toContain('source.extensions.fluxcd.io');
    },
  );

  it.each(generations)('scrape the build\'s PodMonitors and collect cluster events (%s)', (generation) => {
    const values = written(resolveConfig({}), generation);
    expect(values.prometheusOperatorObjects.enabled).toBe(true);
    expect(values.clusterEvents.enabled).toBe(true);
  });
});
