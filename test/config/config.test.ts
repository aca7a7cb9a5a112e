import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfigFile, parseConfig, resolveConfig, type Config, type ConfigInput } from '../../config';
import { generateConfigSchema, schemaPath } from '../../config/generate-schema';
import { outputFiles, outputFolders } from '../../model/outputs';
import { renderArtifacts } from '../../scripts/artifacts';
import { configMatrix } from '../configs';
import { readFileSync } from 'node:fs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join(root, 'test/config/fixtures', name);

/** Every query text the build emits: dashboard targets and variables, rule expressions, LogQL included. */
function queryTexts(config: Config): string[] {
  const texts: string[] = [];
  const walk = (value: unknown, key?: string) => {
    if (typeof value === 'string' && (key === 'expr' || key === 'query' || key === 'definition')) texts.push(value);
    else if (Array.isArray(value)) value.forEach((item) => walk(item));
    else if (value && typeof value === 'object') Object.entries(value).forEach(([name, item]) => walk(item, name));
  };
  for (const [path, content] of renderArtifacts(config)) {
    if (path.startsWith(`${outputFolders.dashboards}/`)) walk(JSON.parse(content));
    if (path === outputFiles.ruleFile) for (const match of content.matchAll(/^\s*expr: (.*)$/gm)) texts.push(match[1]!);
  }
  return texts;
}

const variableNamesOf = (config: Config) =>
  [...renderArtifacts(config)]
    .filter(([path]) => path.startsWith(`${outputFolders.dashboards}/`))
    .flatMap(([, content]) => (JSON.parse(content) as { templating: { list: Array<{ name: string }> } }).templating.list.map((variable) => variable.name));

describe('configuration schema', () => {
  it('config/config.schema.json is what ConfigInput generates (run `npm run config-schema` after changing it)', () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(generateConfigSchema());
  });

  it('an empty configuration is the default one', () => {
    expect(resolveConfig(parseConfig('', 'empty.yaml'))).toEqual(defaultConfig);
    expect(defaultConfig).toMatchObject({ flavor: 'kube-state-metrics', clusterLabel: 'cluster', namespace: 'flux-system', objectNamespaceLabel: 'exported_namespace', loki: { preset: 'promtail' } });
  });

  it('accepts every Loki preset', () => {
    for (const preset of ['promtail', 'alloy-k8s-monitoring-v1-v2', 'alloy-k8s-monitoring-v3-plus']) {
      expect(parseConfig(`loki:\n  preset: ${preset}`, 'flux.yaml')).toEqual({ loki: { preset } });
    }
  });

  it('accepts every option the defaults have, and the example files', () => {
    expect(parseConfig(JSON.stringify(defaultConfig), 'defaults.json')).toEqual(defaultConfig);
    expect(loadConfigFile(fixture('multi-cluster-mimir.yaml'))).toEqual({ clusterLabel: 'k8s_cluster', datasources: { prometheus: 'Mimir', loki: 'Loki' } });
    expect(loadConfigFile(fixture('legacy-flux.json'))).toEqual({ flavor: 'legacy', clusterLabel: null, namespace: 'gitops' });
  });

  it.each([
    [
      'loki:\n  preset: alloy-k8s-monitoring-v3-plus\n  namespaceLabel: k8s.namespace',
      'loki.namespaceLabel is "k8s.namespace"; allowed: a Prometheus or Loki label name',
    ],
    [
      'loki:\n  preset: grafana-agent',
      'loki.preset is "grafana-agent"; allowed: "promtail", "alloy-k8s-monitoring-v1-v2" or "alloy-k8s-monitoring-v3-plus"',
    ],
    [
      'loki:\n  preset: alloy',
      'loki.preset is "alloy"; the Alloy preset is now split by k8s-monitoring chart version: write "alloy-k8s-monitoring-v1-v2"',
    ],
    ['namespace: Flux_System', 'namespace is "Flux_System"; allowed: a Kubernetes namespace name'],
    ['datasources:\n  prometheus: ""', 'datasources.prometheus is ""; allowed: a non-empty text'],
    ['packaging:\n  dashboardLabel:\n    key: grafana_dashboard', 'packaging.dashboardLabel lacks value'],
    ['packaging:\n  serverSideApply: "yes"', 'packaging.serverSideApply is "yes"; allowed: a boolean'],
    ['alerts:\n  grafanaUrl: grafana.example.com', 'alerts.grafanaUrl is "grafana.example.com"; allowed: an http:// or https:// URL'],
    [
      '- flavor: legacy',
      'the configuration is a list; allowed: a mapping with the options flavor, fluxVersion, clusterLabel',
    ],
  ])('rejects %j', (text, message) => {
    expect(() => parseConfig(text, 'flux.yaml')).toThrow(`flux.yaml: ${message}`);
  });
});

describe('configuration from code', () => {
  const fileMessage = (text: string) => {
    try {
      parseConfig(text, 'flux.yaml');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`flux.yaml accepted ${text}`);
  };

  it.each([
    [{ flavor: 'legcy' }, 'flavor: legcy', 'flavor is "legcy"; allowed: "kube-state-metrics", "legacy" or "flux-operator"'],
    [{ clusterLabel: 'k8s-cluster' }, 'clusterLabel: k8s-cluster', 'clusterLabel is "k8s-cluster"; allowed: a Prometheus or Loki label name'],
    [{ namespace: 'Flux_System' }, 'namespace: Flux_System', 'namespace is "Flux_System"; allowed: a Kubernetes namespace name'],
    [{ loki: { appLabel: 'app' } }, 'loki:\n  appLabel: app', 'unknown option loki.appLabel; allowed in loki: preset, namespaceLabel, controllerLabel'],
  ])('resolveConfig(%j) is refused with the one line a file gets', (input, text, message) => {
    const fromFile = fileMessage(text);
    expect(fromFile.startsWith(`flux.yaml: ${message}`), fromFile).toBe(true);
    expect(fromFile).not.toContain('\n');
    expect(() => resolveConfig(input as ConfigInput)).toThrow(ConfigError);
    try {
      resolveConfig(input as ConfigInput);
    } catch (error) {
      expect((error as Error).message).toBe(fromFile.replace(/^flux\.yaml: /, ''));
    }
  });

  it('accepts a resolved configuration again, unchanged', () => {
    for (const { config } of configMatrix) expect(resolveConfig(config)).toEqual(config);
  });
});

describe('every configuration builds', () => {
  it.each(configMatrix.map(({ name, config }) => [name, config] as const))('%s', (_name, config) => {
    const artifacts = renderArtifacts(config);
    expect([...artifacts.keys()].filter((path) => path.startsWith(`${outputFolders.dashboards}/`))).toHaveLength(3);
    expect(artifacts.has(outputFiles.podMonitor)).toBe(true);
  });

  it('the legacy flavour reads readiness only from the legacy metrics, never gotk_resource_info', () => {
    for (const { name, config } of configMatrix.filter(({ config }) => config.flavor === 'legacy')) {
      const texts = queryTexts(config);
      expect(texts.filter((text) => text.includes('gotk_resource_info')), name).toEqual([]);
      expect(texts.some((text) => text.includes('gotk_reconcile_condition')), name).toBe(true);
      expect(texts.some((text) => text.includes('gotk_suspend_status')), name).toBe(true);
    }
  });

  it('clusterLabel null leaves no cluster variable and no cluster matcher or grouping anywhere', () => {
    for (const { name, config } of configMatrix.filter(({ config }) => config.clusterLabel === null)) {
      expect(variableNamesOf(config), name).not.toContain('cluster');
      expect(queryTexts(config).filter((text) => /\bcluster\b/.test(text)), name).toEqual([]);
    }
  });

  it('a custom clusterLabel is the label every query selects and groups clusters by', () => {
    const config = resolveConfig({ clusterLabel: 'k8s_cluster' });
    const texts = queryTexts(config);
    expect(variableNamesOf(config)).toContain('cluster');
    expect(texts.some((text) => text.includes('k8s_cluster=~"$cluster"'))).toBe(true);
    expect(texts.filter((text) => /\bcluster\s*(=|!=|=~|!~)|by\s*\(cluster\b/.test(text))).toEqual([]);
  });
});
