/**
 * The Kubernetes packaging: ConfigMaps for the Grafana sidecar, GrafanaDashboards for grafana-operator, kustomizations.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { ConfigError, resolveConfig, type Config, type ConfigInput } from '../../config';
import { apiVersions, type ManifestKind } from '../../model/kubernetes';
import { kustomizationFile, manifestFiles, outputFolders } from '../../model/outputs';
import type { KubernetesManifest } from '../../output';
import { packageArtifacts, type DashboardFile } from '../../packaging';
import { dashboardFiles, mergeArtifacts, renderArtifacts } from '../../build/render';
import { writeArtifacts } from '../../build/write';

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    instanceSelector: { matchLabels: Record<string, string> };
    uid: string;
    folder: string;
    configMapRef: { name: string; key: string };
  };
}

interface KustomizationFile {
  apiVersion: string;
  kind: string;
  namespace: string;
  resources: string[];
}

const folders = [outputFolders.kubernetes, outputFolders.grafanaOperator] as const;
const expectedConfigMaps = {
  'flux-control-plane': 'flux-dashboard-control-plane',
  'flux-cluster': 'flux-dashboard-cluster',
  'flux-logs': 'flux-dashboard-logs',
  'flux-object': 'flux-dashboard-object',
};
const clientSideLimit = 262_144;

/** Stand-ins for the manifests of the scrape and alert modules, so these tests do not depend on them. */
const manifestOf = (kind: string, name: string) =>
  `apiVersion: monitoring.coreos.com/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
const otherManifests: KubernetesManifest[] = [
  { file: manifestFiles.podMonitor, yaml: manifestOf('PodMonitor', 'flux-system') },
  { file: manifestFiles.prometheusRule, yaml: manifestOf('PrometheusRule', 'flux') },
];

interface Packaged {
  config: Config;
  /** The exact JSON bytes of each dashboard handed to the packaging, by uid. */
  dashboardJson: (uid: string) => string | undefined;
  output: Map<string, string>;
}

function packaged(input: ConfigInput = {}, manifests: KubernetesManifest[] = otherManifests): Packaged {
  const config = resolveConfig(input);
  const dashboards = dashboardFiles(config);
  const dashboardJson = (uid: string) => dashboards.find((dashboard) => dashboard.uid === uid)?.json;
  return { config, dashboardJson, output: packageArtifacts(config, { dashboards, manifests }) };
}

/** One dashboard handed to the packaging on its own. */
const alone = (dashboard: DashboardFile) => ({ dashboards: [dashboard], manifests: [] });

function parseSingle<T>(path: string, content: string): T {
  const documents = parseAllDocuments(content);
  if (!Array.isArray(documents)) throw new Error(`${path}: not a YAML stream`);
  expect(documents, path).toHaveLength(1);
  expect(documents[0]!.errors, path).toEqual([]);
  return documents[0]!.toJS() as T;
}

function filesIn(output: Map<string, string>, folder: string): Map<string, string> {
  return new Map(
    [...output]
      .filter(([path]) => path.startsWith(`${folder}/`))
      .map(([path, content]) => [path.slice(folder.length + 1), content]),
  );
}

function objectsIn(output: Map<string, string>, folder: string): KubernetesObject[] {
  return [...filesIn(output, folder)]
    .filter(([name]) => name !== 'kustomization.yaml')
    .map(([name, content]) => parseSingle<KubernetesObject>(name, content));
}

function kustomizationOf(output: Map<string, string>, folder: string): KustomizationFile {
  const content = output.get(`${folder}/kustomization.yaml`);
  if (content === undefined) throw new Error(`${folder}/kustomization.yaml missing`);
  return parseSingle<KustomizationFile>(`${folder}/kustomization.yaml`, content);
}

const ofKind = (objects: KubernetesObject[], kind: string) => objects.filter((object) => object.kind === kind);
const byName = (objects: KubernetesObject[], name: string) => objects.find((object) => object.metadata.name === name);

/** Hugely repetitive dashboard JSON of about `bytes` bytes, built from `unit`. */
function dashboardOfSize(uid: string, bytes: number, unit = 'x'): string {
  const description = unit.repeat(Math.ceil(bytes / unit.length));
  return `${JSON.stringify({ uid, title: uid, description, panels: [] }, null, 2)}\n`;
}

describe('dist/kubernetes: ConfigMaps for the Grafana sidecar', () => {
  const { dashboardJson, output } = packaged();
  const objects = objectsIn(output, outputFolders.kubernetes);
  const configMaps = ofKind(objects, 'ConfigMap');

  it('has one ConfigMap per dashboard, named after its uid', () => {
    expect(configMaps.map((configMap) => configMap.metadata.name).sort()).toEqual(
      Object.values(expectedConfigMaps).sort(),
    );
    for (const configMap of configMaps) expect(configMap.apiVersion).toBe('v1');
  });

  it.each(Object.entries(expectedConfigMaps))('%s: one data key holding exactly the bytes of its JSON', (uid, name) => {
    const configMap = byName(configMaps, name)!;
    expect(Object.keys(configMap.data!)).toEqual([`${uid}.json`]);
    expect(configMap.data![`${uid}.json`]).toBe(dashboardJson(uid));
  });

  it.each(Object.values(expectedConfigMaps))('writes the dashboard JSON of %s as a literal block', (name) => {
    const file = output.get(`${outputFolders.kubernetes}/${name}.configmap.yaml`)!;
    expect(file).toMatch(/\n {2}flux-[a-z-]+\.json: \|\n {4}\{\n/);
  });

  it('carries the sidecar label as a string, the folder annotation, and disables Flux substitution', () => {
    for (const configMap of configMaps) {
      expect(configMap.metadata.labels).toMatchObject({
        grafana_dashboard: '1',
        'kustomize.toolkit.fluxcd.io/substitute': 'disabled',
        'app.kubernetes.io/part-of': 'flux-dashboards',
      });
      expect(configMap.metadata.annotations).toEqual({ grafana_folder: 'Flux' });
      expect(configMap.metadata.namespace, 'the kustomization sets the namespace').toBeUndefined();
    }
  });

  it('passes the other modules’ manifests through unchanged', () => {
    for (const { file, yaml } of otherManifests) expect(output.get(`${outputFolders.kubernetes}/${file}`)).toBe(yaml);
  });
});

describe('dist/grafana-operator: GrafanaDashboards', () => {
  const { dashboardJson, output } = packaged();
  const objects = objectsIn(output, outputFolders.grafanaOperator);
  const dashboards = ofKind(objects, 'GrafanaDashboard');

  it('has one GrafanaDashboard per dashboard with selector, uid and folder', () => {
    expect(dashboards.map((dashboard) => dashboard.spec!.uid).sort()).toEqual(Object.keys(expectedConfigMaps).sort());
    for (const dashboard of dashboards) {
      expect(dashboard.apiVersion).toBe('grafana.integreatly.org/v1beta1');
      expect(dashboard.spec!.instanceSelector).toEqual({ matchLabels: { dashboards: 'grafana' } });
      expect(dashboard.spec!.folder).toBe('Flux');
      expect(dashboard.metadata.labels).toMatchObject({ 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' });
    }
  });

  it('points each configMapRef at a ConfigMap in the same folder holding the dashboard bytes', () => {
    for (const dashboard of dashboards) {
      const { name, key } = dashboard.spec!.configMapRef;
      expect(name).toBe(expectedConfigMaps[dashboard.spec!.uid as keyof typeof expectedConfigMaps]);
      const configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === name);
      expect(configMap, `ConfigMap ${name}`).toBeDefined();
      expect(configMap!.data![key]).toBe(dashboardJson(dashboard.spec!.uid));
    }
  });

  it('leaves the sidecar label off its ConfigMaps so a sidecar does not load the dashboards a second time', () => {
    for (const configMap of ofKind(objects, 'ConfigMap')) {
      expect(Object.keys(configMap.metadata.labels ?? {})).not.toContain('grafana_dashboard');
      expect(configMap.metadata.annotations).toBeUndefined();
    }
  });

  it('carries the other modules’ manifests too, so it installs on its own', () => {
    for (const { file, yaml } of otherManifests) {
      expect(output.get(`${outputFolders.grafanaOperator}/${file}`)).toBe(yaml);
    }
  });
});

describe('kustomizations', () => {
  const { output } = packaged();

  it.each(folders)('%s/kustomization.yaml lists every resource file in the folder and nothing else', (folder) => {
    const kustomization = kustomizationOf(output, folder);
    expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    expect(kustomization.kind).toBe('Kustomization');
    expect(kustomization.namespace).toBe('monitoring');
    const resourceFiles = [...filesIn(output, folder).keys()].filter((name) => name !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(resourceFiles.sort());
    expect(kustomization.resources).toContain('podmonitor.yaml');
    expect(kustomization.resources).toContain('prometheusrule.yaml');
  });

  it.each(folders)(
    '%s/kustomization.yaml loads nothing from outside its folder (kubectl apply -k restricts loading to the root)',
    (folder) => {
      for (const resource of kustomizationOf(output, folder).resources) {
        expect(posix.normalize(resource).startsWith('..'), resource).toBe(false);
        expect(posix.isAbsolute(resource), resource).toBe(false);
      }
    },
  );

  it('lists only the dashboards when no other module wrote manifests', () => {
    const dashboardsOnly = packaged({}, []).output;
    expect(kustomizationOf(dashboardsOnly, outputFolders.kubernetes).resources).toHaveLength(4);
    expect(kustomizationOf(dashboardsOnly, outputFolders.grafanaOperator).resources).toHaveLength(8);
  });
});

describe('options change the output', () => {
  const { output } = packaged({
    packaging: {
      namespace: 'observability',
      folder: 'GitOps',
      dashboardLabel: { key: 'example.com/dashboard', value: 'flux' },
      folderAnnotation: 'k8s-sidecar-target-directory',
      grafanaOperatorInstanceSelector: { team: 'platform', tier: 'shared' },
    },
  });

  it('namespace', () => {
    for (const folder of folders) expect(kustomizationOf(output, folder).namespace).toBe('observability');
  });

  it('dashboard label and folder annotation', () => {
    for (const configMap of ofKind(objectsIn(output, outputFolders.kubernetes), 'ConfigMap')) {
      expect(configMap.metadata.labels!['example.com/dashboard']).toBe('flux');
      expect(configMap.metadata.labels).not.toHaveProperty('grafana_dashboard');
      expect(configMap.metadata.annotations).toEqual({ 'k8s-sidecar-target-directory': 'GitOps' });
    }
  });

  it('operator instance selector and folder', () => {
    for (const dashboard of ofKind(objectsIn(output, outputFolders.grafanaOperator), 'GrafanaDashboard')) {
      expect(dashboard.spec!.instanceSelector.matchLabels).toEqual({ team: 'platform', tier: 'shared' });
      expect(dashboard.spec!.folder).toBe('GitOps');
    }
  });
});

describe('size budget', () => {
  it('every ConfigMap file and its client-side last-applied annotation stay under 262,144 bytes', () => {
    const { config, output } = packaged();
    for (const folder of folders) {
      for (const [name, content] of filesIn(output, folder)) {
        if (!name.endsWith('.configmap.yaml')) continue;
        expect(Buffer.byteLength(content), name).toBeLessThan(clientSideLimit);
        const applied = parseYaml(content) as KubernetesObject;
        applied.metadata.namespace = config.packaging.namespace;
        const annotation = JSON.stringify(applied).replace(/[<>&]/g, '\\u0000');
        expect(
          Buffer.byteLength(annotation) + 'kubectl.kubernetes.io/last-applied-configuration'.length,
          name,
        ).toBeLessThan(clientSideLimit);
      }
    }
  });

  const config = resolveConfig();
  const withDashboard = (json: string) => alone({ uid: 'flux-huge', title: 'Huge', json });

  it('fails an oversize dashboard with one line pointing at server-side apply, before anything is written', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'packaging-'));
    try {
      const build = () =>
        writeArtifacts(outDir, packageArtifacts(config, withDashboard(dashboardOfSize('flux-huge', 300_000))));
      expect(build).toThrow(
        new RegExp(
          '^grafana/flux-huge\\.json: ConfigMap flux-dashboard-huge needs [\\d,]+ bytes, ' +
            'over the 262,144 .*kubectl apply --server-side',
        ),
      );
      expect(build).toThrow(/^[^\n]*$/);
      expect(build, 'the build reports it as bad input: one line, exit code 2').toThrow(ConfigError);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('counts the escaping in the last-applied annotation, not only the YAML', () => {
    // 45,000 `<` fit a 262,144-byte YAML file, but Go's JSON writes each as a 6-byte \u003c.
    const json = dashboardOfSize('flux-huge', 45_000, '<');
    expect(Buffer.byteLength(json)).toBeLessThan(clientSideLimit / 4);
    expect(() => packageArtifacts(config, withDashboard(json))).toThrow(/--server-side/);
  });

  it('allows up to 1 MiB with packaging.serverSideApply, and no more', () => {
    const serverSide = resolveConfig({ packaging: { serverSideApply: true } });
    const output = packageArtifacts(serverSide, withDashboard(dashboardOfSize('flux-huge', 300_000)));
    const configMap = output.get(`${outputFolders.kubernetes}/flux-dashboard-huge.configmap.yaml`)!;
    expect(Buffer.byteLength(configMap)).toBeGreaterThan(clientSideLimit);
    expect(() => packageArtifacts(serverSide, withDashboard(dashboardOfSize('flux-huge', 1_100_000)))).toThrow(
      new RegExp(
        '^grafana/flux-huge\\.json: ConfigMap flux-dashboard-huge would be [\\d,]+ bytes, ' +
          'over the 1,048,576-byte ConfigMap limit even with kubectl apply --server-side',
      ),
    );
  });
});

describe('robustness', () => {
  it('is deterministic to the byte', () => {
    expect([...packaged().output]).toEqual([...packaged().output]);
  });

  it('refuses a manifest named like a file the packaging writes', () => {
    const clash = 'is written by the Kubernetes packaging';
    const kustomizationClash = [...otherManifests, { file: kustomizationFile, yaml: 'resources: []\n' }];
    expect(() => packaged({}, kustomizationClash)).toThrow(`${outputFolders.kubernetes}/${kustomizationFile} ${clash}`);
    const configMap = 'flux-dashboard-cluster.configmap.yaml';
    const configMapClash = [...otherManifests, { file: configMap, yaml: 'kind: ConfigMap\n' }];
    expect(() => packaged({}, configMapClash)).toThrow(`${outputFolders.kubernetes}/${configMap} ${clash}`);
  });

  it('refuses two modules writing the same path', () => {
    const podMonitor = new Map([['kubernetes/podmonitor.yaml', 'kind: PodMonitor\n']]);
    expect(() => mergeArtifacts(podMonitor, new Map([['kubernetes/podmonitor.yaml', 'kind: Other\n']]))).toThrow(
      'kubernetes/podmonitor.yaml is written by two modules of the build',
    );
  });

  it('refuses a dashboard uid that cannot name a Kubernetes object', () => {
    expect(() => packageArtifacts(resolveConfig(), alone({ uid: 'Flux_Main', title: 'Main', json: '{}\n' }))).toThrow(
      /^grafana\/Flux_Main\.json: dashboard uid "Flux_Main" cannot name a Kubernetes object/,
    );
  });

  it('packages any dashboard handed to it as data, whatever its uid, with the exact bytes given', () => {
    const json = '{"uid": "flux-helm-releases", "title": "Flux HelmReleases"}\n';
    const output = packageArtifacts(resolveConfig(), alone({ uid: 'flux-helm-releases', title: 'HelmReleases', json }));
    const file = output.get(`${outputFolders.kubernetes}/flux-dashboard-helm-releases.configmap.yaml`)!;
    const configMap = parseSingle<KubernetesObject>('configmap', file);
    expect(configMap.data).toEqual({ 'flux-helm-releases.json': json });
    expect(kustomizationOf(output, outputFolders.grafanaOperator).resources).toEqual([
      'flux-dashboard-helm-releases.configmap.yaml',
      'flux-dashboard-helm-releases.grafanadashboard.yaml',
    ]);
  });
});

describe('checked-in dist/', () => {
  const distDir = join(import.meta.dirname, '..', '..', 'dist');
  const rendered = renderArtifacts(resolveConfig());

  it.each(folders)('dist/%s is what the build writes today', (folder) => {
    const onDisk = readdirSync(join(distDir, folder)).sort();
    expect(onDisk).toEqual([...filesIn(rendered, folder).keys()].sort());
    for (const name of onDisk)
      expect(readFileSync(join(distDir, folder, name), 'utf8'), `${folder}/${name}`).toBe(
        rendered.get(`${folder}/${name}`),
      );
  });

  it.each(folders)(
    'every file dist/%s/kustomization.yaml lists exists, and each ConfigMap matches dist/grafana byte for byte',
    (folder) => {
      const kustomization = parseYaml(
        readFileSync(join(distDir, folder, 'kustomization.yaml'), 'utf8'),
      ) as KustomizationFile;
      for (const resource of kustomization.resources) {
        const path = join(distDir, folder, resource);
        expect(existsSync(path), path).toBe(true);
        const object = parseYaml(readFileSync(path, 'utf8')) as KubernetesObject;
        for (const [key, json] of Object.entries(object.kind === 'ConfigMap' ? (object.data ?? {}) : {})) {
          expect(json, `${folder}/${resource}`).toBe(
            readFileSync(join(distDir, outputFolders.dashboards, key), 'utf8'),
          );
        }
      }
    },
  );
});

describe('every Kubernetes object the build writes', () => {
  const everyObject = (input: ConfigInput) =>
    [...renderArtifacts(resolveConfig(input))]
      .filter(([path]) => path.endsWith('.yaml') && !path.endsWith(`/${kustomizationFile}`))
      .map(([path, content]) => ({ path, object: parseYaml(content) as Partial<KubernetesObject> }))
      .filter(({ object }) => typeof object.apiVersion === 'string' && object.metadata !== undefined);
  const configs: ConfigInput[] = [{}, { flavor: 'flux-operator', packaging: { monitoringLabels: { release: 'kps' } } }];

  it.each(configs)("carries the one ownership label set and its kind's apiVersion from the model (%j)", (input) => {
    const objects = everyObject(input);
    expect(objects.length).toBeGreaterThan(10);
    for (const { path, object } of objects) {
      const labels = object.metadata!.labels ?? {};
      expect(labels['app.kubernetes.io/part-of'], path).toBe('flux-dashboards');
      expect(labels['app.kubernetes.io/name'], path).toBeUndefined();
      expect(['dashboard', 'monitoring', 'alerts'], path).toContain(labels['app.kubernetes.io/component']);
      expect(object.apiVersion, path).toBe(apiVersions[object.kind as ManifestKind]);
    }
  });

  it("the PodMonitors still select the Flux controllers' pods and the operator's, not the build's label", () => {
    const monitors = everyObject({ flavor: 'flux-operator' }).filter(({ object }) => object.kind === 'PodMonitor');
    const selectors = monitors.map(
      ({ object }) => (object as unknown as { spec: { selector: unknown } }).spec.selector,
    );
    expect(selectors).toContainEqual({ matchLabels: { 'app.kubernetes.io/part-of': 'flux' } });
    expect(selectors).toContainEqual({ matchLabels: { 'app.kubernetes.io/name': 'flux-operator' } });
  });
});

describe('the header of every YAML file', () => {
  it('tells a package user to change the configuration and rebuild with the CLI, not to edit TypeScript ' +
    'sources', () => {
    const yamlFiles = [...renderArtifacts(resolveConfig())].filter(([path]) => path.endsWith('.yaml'));
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const [path, content] of yamlFiles) {
      const first = content.split('\n')[0]!;
      expect(first, path).toContain('flux.yaml');
      expect(first, path).toContain('`npx flux-dashboards build`');
      expect(first, path).not.toMatch(/TypeScript/i);
      expect(first.length, path).toBeLessThanOrEqual(120);
    }
  });
});
