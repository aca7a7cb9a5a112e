import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfigFile, parseConfig, resolveConfig, type Config, type ConfigInput } from '../config';
import { generateConfigSchema, schemaPath } from '../config/generate-schema';
import { outputFiles, outputFolders } from '../model/outputs';
import { suspendedObjects } from '../queries/objects';
import { alertScope } from '../queries/scope';
import { renderArtifacts } from '../build/render';
import { stringify } from 'yaml';
import { configMatrix } from './configs';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => join(root, 'test/fixtures/config', name);
const scratch = mkdtempSync(join(tmpdir(), 'flux-dashboards-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real CLI, as a user runs it. */
function build(...args: string[]) {
  const result = spawnSync('npm', ['run', '--silent', 'build', '--', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under the folder, hidden ones included, with its bytes. */
function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(folder, path), readFileSync(path).toString('base64'));
    }
  };
  walk(folder);
  return files;
}

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
    // The three Flux dashboards and the runbooks.
    expect([...artifacts.keys()].filter((path) => path.startsWith(`${outputFolders.dashboards}/`))).toHaveLength(4);
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

  it('the legacy suspended table skips deleted objects and shows the Ready status where the Ready series has one (promtool)', () => {
    const expr = suspendedObjects(alertScope(resolveConfig({ flavor: 'legacy', clusterLabel: null }))).expr;
    const object = (kind: string, name: string) => `kind="${kind}",exported_namespace="apps",name="${name}"`;
    const series = (metric: string, labels: string, value: number) => ({ series: `${metric}{${labels}}`, values: `${value}x5` });
    const ready = (kind: string, name: string, status: string, value: number) =>
      series('gotk_reconcile_condition', `${object(kind, name)},type="Ready",status="${status}"`, value);
    const tests = {
      rule_files: [],
      tests: [{
        interval: '1m',
        input_series: [
          series('gotk_suspend_status', object('Kustomization', 'paused'), 1), ready('Kustomization', 'paused', 'True', 1), ready('Kustomization', 'paused', 'False', 0),
          // Deleted while suspended: the suspend series stays at 1 until the controller restarts.
          series('gotk_suspend_status', object('Kustomization', 'deleted'), 1), ready('Kustomization', 'deleted', 'Deleted', 1), ready('Kustomization', 'deleted', 'True', 0),
          series('gotk_suspend_status', object('HelmRelease', 'never-ready'), 1),
          series('gotk_suspend_status', object('HelmRelease', 'running'), 0), ready('HelmRelease', 'running', 'True', 1),
        ],
        promql_expr_test: [{
          expr,
          eval_time: '3m',
          exp_samples: [
            { labels: `{${object('Kustomization', 'paused')},status="True",ready="True"}`, value: 1 },
            { labels: `{${object('HelmRelease', 'never-ready')}}`, value: 1 },
          ],
        }],
      }],
    };
    const file = join(scratch, 'legacy-suspended.test.yaml');
    writeFileSync(file, stringify(tests));
    const result = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
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

describe('npm run build -- --config FILE --out DIR', () => {
  const previous = join(scratch, 'previous');
  mkdirSync(join(previous, 'grafana'), { recursive: true });
  writeFileSync(join(previous, 'grafana', 'flux-cluster.json'), '{"from": "an earlier build"}\n');
  writeFileSync(join(previous, 'notes.txt'), 'not ours\n');
  const unreadable = join(scratch, 'a-folder.yaml');
  mkdirSync(unreadable);

  it.each([
    ['wrong type', fixture('wrong-type.yaml'), 'wrong-type.yaml: clusterLabel is 42; allowed: a Prometheus or Loki label name'],
    ['unknown flavour', fixture('unknown-flavor.yaml'), 'unknown-flavor.yaml: flavor is "prometheus-operator"; allowed: "kube-state-metrics", "legacy" or "flux-operator"'],
    [
      'unknown option', fixture('unknown-option.yaml'),
      'unknown-option.yaml: unknown option clusterlabel; allowed options: flavor, fluxVersion, clusterLabel',
    ],
    ['unknown nested option', fixture('unknown-nested-option.yaml'), 'unknown-nested-option.yaml: unknown option loki.appLabel; allowed in loki: preset, namespaceLabel, controllerLabel'],
    [
      'unknown Flux release', fixture('unknown-flux-version.yaml'),
      'unknown-flux-version.yaml: fluxVersion is "3.0"; allowed: a Flux release from 2.0 to',
    ],
    [
      'legacy flavour on a Flux without its metrics', fixture('legacy-newer-flux.yaml'),
      'legacy-newer-flux.yaml: fluxVersion is "v2.6.2" but flavor "legacy" reads gotk_reconcile_condition',
    ],
    ['missing file', fixture('no-such-file.yaml'), 'no-such-file.yaml: cannot read the configuration file: no such file'],
    ['unreadable file', unreadable, 'a-folder.yaml: cannot read the configuration file: it is a folder'],
    ['invalid YAML', fixture('invalid.yaml'), 'invalid.yaml: not valid YAML: '],
    ['invalid JSON', fixture('invalid.json'), 'invalid.json: not valid JSON: '],
  ])('%s: exit code 2, one line naming the problem, the output folder untouched', (_kind, file, message) => {
    const before = snapshot(previous);
    const result = build('--config', file, '--out', previous);
    expect(result.status).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(snapshot(previous)).toEqual(before);
  });

  it('an unknown flag is a usage error, exit code 2', () => {
    const result = build('--confg', fixture('multi-cluster-mimir.yaml'), '--out', previous);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/error: unknown option --confg; usage: npm run build/);
  });

  it('a valid file builds into --out with its settings', () => {
    const out = join(scratch, 'mimir');
    const result = build('--config', fixture('multi-cluster-mimir.yaml'), '--out', out);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error'))).toEqual([]);
    expect(result.status).toBe(0);
    const cluster = readFileSync(join(out, 'grafana', 'flux-cluster.json'), 'utf8');
    expect(cluster).toContain('k8s_cluster=~\\"$cluster\\"');
    expect(cluster).toContain('"Mimir"');
    expect(readdirSync(join(out, 'kube-state-metrics')).sort()).toEqual(['flux-resources.yaml', 'kube-prometheus-stack-values.yaml']);
  });
});
