/**
 * Every supported Flux release: the model's table against the CRDs at the release tags (the verified copy in
 * test/scrape/fixtures/flux-releases/, see its SOURCES.md), the emitted kube-state-metrics files and the versions table
 * of docs/kubernetes.md against the model.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fluxReleases, newestFluxRelease, parseConfig, resolveConfig, type FluxRelease } from '../../config';
import { kindApisOf, optionalComponents } from '../../model/flux-releases';
import { fluxKinds } from '../../model/kinds';
import { outputFiles } from '../../model/outputs';
import { kubePrometheusStackValues } from '../../packaging';
import { scrapeArtifacts } from '../../scrape';
import defaultComponents from './fixtures/flux-releases/default-components.json';
import servedApiVersions from './fixtures/flux-releases/served-api-versions.json';
import { defaultFleetOptions, makeFleet, visibleObjects, type FleetOptions } from '../../fixtures/fleet/fleet';
import { writeOpenMetrics } from '../../fixtures/fleet/openmetrics';

interface CrdFacts {
  group: string;
  plural: string;
  served: string[];
  storage: string;
  component: string;
}
const served = servedApiVersions as Record<string, Record<string, CrdFacts>>;

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

function emitted(release: FluxRelease) {
  const { files } = scrapeArtifacts(resolveConfig({ fluxVersion: release }));
  type ResourceState = { spec: { resources: Array<{ groupVersionKind: GroupVersionKind }> } };
  const config = parse(files.get(outputFiles.customResourceState)!) as ResourceState;
  const values = kubePrometheusStackValues(resolveConfig({ fluxVersion: release })) as {
    'kube-state-metrics': {
      rbac: { extraRules: Array<{ apiGroups: string[]; resources: string[] }> };
      customResourceState: { config: unknown };
    };
  };
  const gvks = config.spec.resources.map((resource) => resource.groupVersionKind);
  return { gvks, values: values['kube-state-metrics'], config };
}

describe('the fixture covers exactly the releases the configuration accepts', () => {
  it('one entry per minor release, 2.0 to the newest', () => {
    expect(Object.keys(served)).toEqual([...fluxReleases]);
  });
});

describe.each(fluxReleases.map((release) => [release]))('Flux %s', (release) => {
  const crds = served[release]!;
  const model = kindApisOf(release);

  it('the model has exactly the kinds whose CRDs the release installs', () => {
    expect(model.map((kind) => kind.kind).sort()).toEqual(Object.keys(crds).sort());
  });

  it('the model names each kind\'s storage version, which the CRD serves, with its group, plural and component', () => {
    for (const kind of model) {
      const crd = crds[kind.kind]!;
      expect(crd.served, kind.kind).toContain(kind.version);
      const { group, version, plural, component } = kind;
      expect({ kind: kind.kind, group, version, plural, component }, kind.kind).toEqual({
        kind: kind.kind, group: crd.group, version: crd.storage, plural: crd.plural, component: crd.component,
      });
    }
  });

  it('the kube-state-metrics config names the model\'s group/version of every kind, each once', () => {
    const { gvks } = emitted(release);
    expect(gvks).toEqual(model.map(({ group, version, kind }) => ({ group, version, kind })));
    expect(new Set(gvks.map((gvk) => `${gvk.group}/${gvk.kind}`)).size).toBe(gvks.length);
    for (const gvk of gvks) expect(crds[gvk.kind]!.served, gvk.kind).toContain(gvk.version);
  });

  it('the kube-prometheus-stack values carry the same config and list and watch every kind\'s resource', () => {
    const { values, config } = emitted(release);
    expect(values.customResourceState.config).toEqual(config);
    const [rule] = values.rbac.extraRules;
    expect(rule!.apiGroups).toEqual([...new Set(Object.values(crds).map((crd) => crd.group))].sort());
    expect([...rule!.resources].sort()).toEqual(Object.values(crds).map((crd) => crd.plural).sort());
  });
});

describe('kinds of optional components', () => {
  it('are the components flux install adds only with --components-extra', () => {
    expect([...optionalComponents].sort()).toEqual([...defaultComponents.extra].sort());
    for (const kind of kindApisOf(newestFluxRelease)) {
      expect(kind.optional, kind.kind).toBe(defaultComponents.extra.includes(kind.component));
    }
  });

  it('ArtifactGenerator and ExternalArtifact arrive with 2.7, and only then', () => {
    const has = (release: FluxRelease, kind: string) => kindApisOf(release).some((api) => api.kind === kind);
    const fromTwoSeven = fluxReleases.slice(fluxReleases.indexOf('2.7'));
    expect(fluxReleases.filter((release) => has(release, 'ArtifactGenerator'))).toEqual(fromTwoSeven);
    expect(fluxReleases.filter((release) => has(release, 'ExternalArtifact'))).toEqual(fromTwoSeven);
  });
});

describe('fluxVersion', () => {
  it.each([
    ['2.3', '2.3'],
    ['v2.3', '2.3'],
    ['v2.3.1', '2.3'],
    ['2.0.0', '2.0'],
    ['v2.9.4', '2.9'],
  ])('%s builds for Flux %s', (text, release) => {
    expect(resolveConfig(parseConfig(`fluxVersion: "${text}"`, 'flux.yaml')).fluxVersion).toBe(release);
  });

  it('defaults to the newest release, and to the newest that writes the legacy metrics in the legacy flavour', () => {
    expect(resolveConfig({}).fluxVersion).toBe(newestFluxRelease);
    expect(resolveConfig({ flavor: 'legacy' }).fluxVersion).toBe('2.4');
    expect(resolveConfig({ flavor: 'legacy', fluxVersion: 'v2.0.1' }).fluxVersion).toBe('2.0');
  });

  it.each([
    [
      'fluxVersion: 2.3',
      'fluxVersion is 2.3; allowed: a Flux release in quotes, as `flux version` prints it (e.g. "2.3" or "v2.3.1")',
    ],
    ['fluxVersion: latest', 'fluxVersion is "latest"; allowed: a Flux release in quotes'],
    ['fluxVersion: "2.10"', `fluxVersion is "2.10"; allowed: a Flux release from 2.0 to ${newestFluxRelease}`],
    ['fluxVersion: "v1.25.4"', `fluxVersion is "v1.25.4"; allowed: a Flux release from 2.0 to ${newestFluxRelease}`],
    [
      'flavor: legacy\nfluxVersion: "2.5"',
      'fluxVersion is "2.5" but flavor "legacy" reads gotk_reconcile_condition, '
        + 'which Flux 2.5 and later no longer write; '
        + 'allowed with legacy: 2.0 to 2.4 (use flavor "kube-state-metrics" for 2.5)',
    ],
  ])('refuses %j in one line', (text, message) => {
    expect(() => parseConfig(text, 'flux.yaml')).toThrow(`flux.yaml: ${message}`);
    try {
      parseConfig(text, 'flux.yaml');
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('is checked by resolveConfig too, for configurations built in code', () => {
    expect(() => resolveConfig({ flavor: 'legacy', fluxVersion: '2.9' }))
      .toThrow(/^fluxVersion is "2.9" but flavor "legacy"/);
    expect(() => resolveConfig({ fluxVersion: '2.10' }))
      .toThrow(/^fluxVersion is "2.10"; allowed: a Flux release from 2.0/);
  });
});

describe('the test fleet of an older Flux', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'flux-release-fleet-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function fleetText(options: Partial<FleetOptions>) {
    const small = { clusters: 1, objectsPerKind: 6, duration: 1800, end: 1_800_000_000 };
    const fleet = makeFleet({ ...defaultFleetOptions, ...small, ...options });
    const file = join(scratch, `${options.flavor ?? 'ksm'}-${options.fluxVersion}.om`);
    writeOpenMetrics(fleet, file);
    return { fleet, text: readFileSync(file, 'utf8') };
  }
  const seriesOf = (text: string, metric: string) => text.split('\n').filter((line) => line.startsWith(`${metric}{`));

  it('names the API versions of its release in gotk_resource_info', () => {
    const { text } = fleetText({ fluxVersion: '2.3' });
    // The fleet makes objects of the kinds the dashboards know.
    for (const kind of kindApisOf('2.3').filter((api) => fluxKinds.some((known) => known.kind === api.kind))) {
      const series = seriesOf(text, 'gotk_resource_info')
        .filter((line) => line.includes(`customresource_kind="${kind.kind}"`));
      expect(series.length, kind.kind).toBeGreaterThan(0);
      expect(series.every((line) => line.includes(`customresource_version="${kind.version}"`)), kind.kind).toBe(true);
    }
  });

  it('writes the panics counter and the work queues\' controller label from 2.4, priority from 2.6', () => {
    const has = (release: FluxRelease) => {
      const { text } = fleetText({ fluxVersion: release });
      const depth = seriesOf(text, 'workqueue_depth').filter((line) => line.includes('namespace="flux-system"'));
      return {
        panics: seriesOf(text, 'controller_runtime_reconcile_panics_total').length > 0,
        controller: depth.length > 0 && depth.every((line) => line.includes('controller="')),
        priority: depth.length > 0 && depth.every((line) => line.includes('priority="')),
      };
    };
    expect(has('2.3')).toEqual({ panics: false, controller: false, priority: false });
    expect(has('2.4')).toEqual({ panics: true, controller: true, priority: false });
    expect(has('2.6')).toEqual({ panics: true, controller: true, priority: true });
  });

  it('legacy: status="Deleted" only on 2.0, HelmReleases only until 2.1, and no legacy fleet after 2.4', () => {
    const old = fleetText({ flavor: 'legacy', fluxVersion: '2.0' });
    const conditions = (text: string) => seriesOf(text, 'gotk_reconcile_condition');
    expect(conditions(old.text).some((line) => line.includes('status="Deleted"'))).toBe(true);
    expect(conditions(old.text).some((line) => line.includes('kind="HelmRelease"'))).toBe(true);
    const later = fleetText({ flavor: 'legacy', fluxVersion: '2.3' });
    expect(conditions(later.text).length).toBeGreaterThan(0);
    expect(conditions(later.text).filter((line) => line.includes('status="Deleted"'))).toEqual([]);
    expect(conditions(later.text).filter((line) => line.includes('kind="HelmRelease"'))).toEqual([]);
    expect(visibleObjects(later.fleet).filter((object) => object.kind.kind === 'HelmRelease')).toEqual([]);
    expect(() => makeFleet({ ...defaultFleetOptions, flavor: 'legacy', fluxVersion: '2.5', end: 1_800_000_000 }))
      .toThrow(/2\.5/);
  });
});
