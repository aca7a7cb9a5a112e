import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configFileMaxBytes,
  defaultConfig,
  loadConfigFile,
  parseConfig,
  readConfig,
  resolveConfig,
  type Config,
  type ConfigInput,
} from '../../config';
import { generateConfigSchema, schemaPath } from '../../config/generate-schema';
import { outputFiles, outputFolders } from '../../model/outputs';
import { renderArtifacts } from '../../build/render';
import { configMatrix } from '../configs';

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
    .flatMap(([, content]) =>
      (JSON.parse(content) as { templating: { list: Array<{ name: string }> } }).templating.list.map(
        (variable) => variable.name,
      ),
    );

describe('configuration schema', () => {
  it('config/config.schema.json is what ConfigInput generates (run `npm run config-schema` after changing it)', () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(generateConfigSchema());
  });

  it('an empty configuration is the default one', () => {
    expect(resolveConfig(parseConfig('', 'empty.yaml'))).toEqual(defaultConfig);
    expect(defaultConfig).toMatchObject({
      flavor: 'kube-state-metrics',
      clusterLabel: 'cluster',
      namespace: 'flux-system',
      objectNamespaceLabel: 'exported_namespace',
      loki: { preset: 'promtail' },
    });
  });

  it('accepts every Loki preset', () => {
    for (const preset of ['promtail', 'alloy-k8s-monitoring-v1-v2', 'alloy-k8s-monitoring-v3-plus']) {
      expect(parseConfig(`loki:\n  preset: ${preset}`, 'flux.yaml')).toEqual({ loki: { preset } });
    }
  });

  it('accepts every option the defaults have, and the example files', () => {
    expect(parseConfig(JSON.stringify(defaultConfig), 'defaults.json')).toEqual(defaultConfig);
    expect(loadConfigFile(fixture('multi-cluster-mimir.yaml'))).toEqual({
      clusterLabel: 'k8s_cluster',
      datasources: { prometheus: 'Mimir', loki: 'Loki' },
    });
    expect(loadConfigFile(fixture('legacy-flux.json'))).toEqual({
      flavor: 'legacy',
      clusterLabel: null,
      namespace: 'gitops',
    });
  });

  it.each([
    [
      'loki:\n  preset: alloy-k8s-monitoring-v3-plus\n  namespaceLabel: k8s.namespace',
      'loki.namespaceLabel is "k8s.namespace"; allowed: a Prometheus or Loki label name',
    ],
    [
      'loki:\n  preset: grafana-agent',
      'loki.preset is "grafana-agent"; allowed: "promtail", "alloy-k8s-monitoring-v1-v2" or ' +
        '"alloy-k8s-monitoring-v3-plus"',
    ],
    [
      'loki:\n  preset: alloy',
      'loki.preset is "alloy"; the Alloy preset is now split by k8s-monitoring chart version: write ' +
        '"alloy-k8s-monitoring-v1-v2"',
    ],
    ['namespace: Flux_System', 'namespace is "Flux_System"; allowed: a Kubernetes namespace name'],
    ['datasources:\n  prometheus: ""', 'datasources.prometheus is ""; allowed: a non-empty text'],
    ['packaging:\n  dashboardLabel:\n    key: grafana_dashboard', 'packaging.dashboardLabel lacks value'],
    ['packaging:\n  serverSideApply: "yes"', 'packaging.serverSideApply is "yes"; allowed: a boolean'],
    [
      'alerts:\n  grafanaUrl: grafana.example.com',
      'alerts.grafanaUrl is "grafana.example.com"; allowed: an http:// or https:// URL',
    ],
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
    [
      { flavor: 'legcy' },
      'flavor: legcy',
      'flavor is "legcy"; allowed: "kube-state-metrics", "legacy" or "flux-operator"',
    ],
    [
      { clusterLabel: 'k8s-cluster' },
      'clusterLabel: k8s-cluster',
      'clusterLabel is "k8s-cluster"; allowed: a Prometheus or Loki label name',
    ],
    [
      { namespace: 'Flux_System' },
      'namespace: Flux_System',
      'namespace is "Flux_System"; allowed: a Kubernetes namespace name',
    ],
    [
      { loki: { appLabel: 'app' } },
      'loki:\n  appLabel: app',
      'unknown option loki.appLabel; allowed in loki: preset, namespaceLabel, controllerLabel',
    ],
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
    expect([...artifacts.keys()].filter((path) => path.startsWith(`${outputFolders.dashboards}/`))).toHaveLength(5);
    expect(artifacts.has(outputFiles.podMonitor)).toBe(true);
  });

  it('the legacy flavour reads readiness only from the legacy metrics, never gotk_resource_info', () => {
    for (const { name, config } of configMatrix.filter(({ config }) => config.flavor === 'legacy')) {
      const texts = queryTexts(config);
      expect(
        texts.filter((text) => text.includes('gotk_resource_info')),
        name,
      ).toEqual([]);
      expect(
        texts.some((text) => text.includes('gotk_reconcile_condition')),
        name,
      ).toBe(true);
      expect(
        texts.some((text) => text.includes('gotk_suspend_status')),
        name,
      ).toBe(true);
    }
  });

  it('clusterLabel null leaves no cluster variable and no cluster matcher or grouping anywhere', () => {
    for (const { name, config } of configMatrix.filter(({ config }) => config.clusterLabel === null)) {
      expect(variableNamesOf(config), name).not.toContain('cluster');
      expect(
        queryTexts(config).filter((text) => /\bcluster\b/.test(text)),
        name,
      ).toEqual([]);
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

describe('a configuration file a user may get wrong', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'flux-dashboards-config-files-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  };
  const messageOf = (read: () => unknown) => {
    try {
      read();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };
  /** One line of printable ASCII (and the ellipsis), as the terminal should get it. */
  const printable = /^[\x20-\x7e…]+$/;

  it('a device such as /dev/zero is refused before it is read, in one line', () => {
    expect(messageOf(() => readConfig('/dev/zero'))).toBe(
      '/dev/zero: cannot read the configuration file: it is not a regular file (a device, pipe or socket); ' +
        'give a YAML or JSON file',
    );
  });

  it(`a file past ${configFileMaxBytes} bytes is refused before it is read`, () => {
    const big = file('big.yaml', `# ${'x'.repeat(configFileMaxBytes)}\nclusterLabel: null\n`);
    expect(messageOf(() => readConfig(big))).toMatch(
      /big\.yaml: cannot read the configuration file: it is 1,048,5\d\d bytes, over the 1,048,576/,
    );
    expect(readConfig(file('small.yaml', `# ${'x'.repeat(1000)}\nclusterLabel: null\n`)).clusterLabel).toBeNull();
  });

  it('a binary file is named as such, and nothing of it is echoed', () => {
    const binary = file('binary.yaml', Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x00, 0xff, 0xfe, 0x07, 0x41]));
    expect(messageOf(() => readConfig(binary))).toBe(
      `${binary}: cannot read the configuration file: it is not UTF-8 text (a binary file?); give a YAML or JSON file`,
    );
  });

  it('text full of control characters is quoted back as a short escaped excerpt', () => {
    const noisy = file('noisy.yaml', `\x1b[31m${'\x07bell '.repeat(400)}`);
    const message = messageOf(() => readConfig(noisy));
    expect(message).toMatch(/^.*noisy\.yaml: the configuration is "\\u001b\[31m\\u0007bell/);
    expect(message).toMatch(printable);
    expect(message.match(/bell/g)!.length).toBeLessThan(12);
    const json = messageOf(() => readConfig(file('noisy.json', `{"a": 1, \x1b[2J\x07${'junk '.repeat(200)}`)));
    expect(json).toMatch(/noisy\.json: not valid JSON: /);
    expect(json).toMatch(printable);
    expect(json.length).toBeLessThan(300);
  });

  it('a wrong value inside alerts.grafana is named by its own field', () => {
    expect(messageOf(() => parseConfig('alerts:\n  grafana:\n    prometheusDatasourceUid: 123', 'flux.yaml'))).toBe(
      'flux.yaml: alerts.grafana.prometheusDatasourceUid is 123; allowed: a Grafana datasource uid (letters, ' +
        'digits, - and _, at most 40 characters): not its name',
    );
    expect(messageOf(() => parseConfig('alerts:\n  grafana:\n    lokiDatasourceUid: loki', 'flux.yaml'))).toMatch(
      /^flux\.yaml: alerts\.grafana lacks prometheusDatasourceUid/,
    );
    expect(messageOf(() => parseConfig('alerts:\n  grafana: yes', 'flux.yaml'))).toMatch(
      /^flux\.yaml: alerts\.grafana is "yes"; allowed: /,
    );
  });

  it('readConfig is every default without a path, and the file completed with them with one', () => {
    expect(readConfig(undefined)).toEqual(defaultConfig);
    const path = fixture('multi-cluster-mimir.yaml');
    expect(readConfig(path)).toEqual(resolveConfig(loadConfigFile(path)));
    expect(readConfig(path).clusterLabel).toBe('k8s_cluster');
  });
});

describe('labels and annotations Kubernetes would refuse', () => {
  const refused = (packaging: object) => {
    try {
      resolveConfig({ packaging } as ConfigInput);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(packaging)}`);
  };

  it.each([
    [
      { monitoringLabels: { 'release name': 'kps' } },
      'packaging.monitoringLabels has the key "release name", which Kubernetes refuses as a label key: its ' +
        'name must be',
    ],
    [
      { monitoringLabels: { '': 'kps' } },
      'packaging.monitoringLabels has the key "", which Kubernetes refuses as a label key: it is empty',
    ],
    [
      { monitoringLabels: { 'a/b/c': 'kps' } },
      'has the key "a/b/c", which Kubernetes refuses as a label key: it has more than one "/"',
    ],
    [{ monitoringLabels: { '/release': 'kps' } }, 'its prefix before "/" is empty'],
    [{ monitoringLabels: { 'example.com/': 'kps' } }, 'its name after "/" is empty'],
    [{ monitoringLabels: { 'Example.com/team': 'a' } }, 'its prefix before "/" is not a DNS subdomain'],
    [{ monitoringLabels: { 'a..b/team': 'a' } }, 'its prefix before "/" is not a DNS subdomain'],
    [{ monitoringLabels: { [`${'a'.repeat(254)}/team`]: 'a' } }, 'its prefix is longer than 253 characters'],
    [{ monitoringLabels: { ['n'.repeat(64)]: 'a' } }, 'its name is longer than 63 characters'],
    [{ monitoringLabels: { release: 'v'.repeat(64) } }, 'packaging.monitoringLabels.release is'],
    [{ monitoringLabels: { release: 'kube prometheus' } }, 'packaging.monitoringLabels.release is "kube prometheus"'],
    [
      { monitoringAnnotations: { 'bad key!': 'x' } },
      'packaging.monitoringAnnotations has the key "bad key!", which Kubernetes refuses as an annotation key',
    ],
    [
      { monitoringAnnotations: { big: 'x'.repeat(262_144) } },
      'packaging.monitoringAnnotations total 262147 bytes, over the 262144',
    ],
    [
      { grafanaOperatorInstanceSelector: { 'dashboards please': 'grafana' } },
      'packaging.grafanaOperatorInstanceSelector has the key "dashboards please"',
    ],
    [
      { grafanaOperatorInstanceSelector: { 'a/b/c': 'grafana' } },
      'packaging.grafanaOperatorInstanceSelector has the key "a/b/c"',
    ],
    [
      { grafanaOperatorInstanceSelector: { dashboards: '-grafana' } },
      'packaging.grafanaOperatorInstanceSelector.dashboards is "-grafana"',
    ],
    [{ folderAnnotation: 'bad key!' }, 'packaging.folderAnnotation is'],
    [{ dashboardLabel: { key: 'x'.repeat(64), value: '1' } }, 'packaging.dashboardLabel'],
  ])('%j is refused in one line naming the option and the key', (packaging, message) => {
    const text = refused(packaging);
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });

  it('accepts what Kubernetes accepts: prefixed keys, 63-character names, empty values, upper-case ' +
    'annotation prefixes', () => {
    const packaging = {
      monitoringLabels: {
        'example.com/team': 'flux',
        ['n'.repeat(63)]: 'v'.repeat(63),
        'app.kubernetes.io/part-of': '',
      },
      monitoringAnnotations: { 'Example.com/Owner': 'Platform team, room 4', [`${'a'.repeat(253)}/x`]: 'y' },
      grafanaOperatorInstanceSelector: { 'grafana.example.com/instance': 'main' },
      folderAnnotation: 'k8s-sidecar-target-directory',
    };
    expect(resolveConfig({ packaging }).packaging).toMatchObject(packaging);
  });
});

describe('labels that collide with the ones the queries read', () => {
  const refusedWith = (input: ConfigInput) => {
    try {
      resolveConfig(input);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(input)}`);
  };

  it.each([
    ['namespace', "the scrape's target label"],
    ['pod', "the scrape's target label"],
    ['job', "the scrape's target label"],
    ['exported_namespace', 'a label of gotk_reconcile_duration_seconds'],
    ['controller', 'a label of'],
    ['le', "the histogram buckets' bound"],
    ['app', 'the Loki label naming the controller (loki.controllerLabel)'],
    ['level', 'JSON field "level"'],
  ])('clusterLabel %s is refused, naming what already reads it', (label, what) => {
    const message = refusedWith({ clusterLabel: label });
    expect(message).toMatch(new RegExp(`^clusterLabel is "${label}", which the queries already read as `));
    expect(message).toContain(what);
  });

  it('the Loki labels must differ from each other and from the labels the log queries extract', () => {
    expect(refusedWith({ loki: { preset: 'promtail', controllerLabel: 'namespace' } })).toBe(
      'loki.namespaceLabel and loki.controllerLabel are both "namespace"; the namespace and the controller ' +
        'need labels of their own',
    );
    expect(refusedWith({ loki: { preset: 'promtail', namespaceLabel: 'object_name' } })).toMatch(
      /^loki\.namespaceLabel is "object_name", the label the log queries extract the JSON field "name" to/,
    );
    expect(
      refusedWith({ clusterLabel: 'k8s_namespace', loki: { preset: 'promtail', namespaceLabel: 'k8s_namespace' } }),
    ).toMatch(
      /^clusterLabel is "k8s_namespace", which the queries already read as the Loki label holding the namespace/,
    );
  });

  it('a cluster label of its own is accepted', () => {
    for (const clusterLabel of ['cluster', 'k8s_cluster', 'tenant', null]) {
      expect(resolveConfig({ clusterLabel }).clusterLabel).toBe(clusterLabel);
    }
  });
});

describe('YAML the build refuses', () => {
  it.each([
    [
      'clusterLabel: a\nclusterLabel: b',
      'flux.yaml: not valid YAML: the key "clusterLabel" appears twice in one mapping at line 2',
    ],
    [
      'packaging:\n  monitoringLabels:\n    team: a\n    team: b',
      'the key "team" appears twice in one mapping at line 4',
    ],
    ['clusterLabel: [a', 'flux.yaml: not valid YAML: '],
  ])('%j', (text, message) => {
    expect(() => parseConfig(text, 'flux.yaml')).toThrow(message);
  });

  it('a long mapping of distinct keys is read whole', () => {
    const keys = Array.from({ length: 5000 }, (_, index) => `    k${index}: v`).join('\n');
    const input = parseConfig(`packaging:\n  monitoringAnnotations:\n${keys}`, 'flux.yaml');
    expect(Object.keys(input.packaging!.monitoringAnnotations!)).toHaveLength(5000);
  });
});
