/** The kind and controller facts of model/kinds.ts that the readiness metric, the controller panels and doctor use. */
import { describe, expect, it } from 'vitest';
import { fluxReleases, kindApisOf } from '../../model/flux-releases';
import {
  controllersWithoutReconcileDuration, fluxApiGroupsRegex, fluxControllers, fluxKinds, kindsServedIn,
  kindsWithoutReadiness, optionalControllers, reconciledKinds, timedKinds,
} from '../../model/kinds';

const names = (kinds: ReadonlyArray<{ kind: string }>) => kinds.map((k) => k.kind);

describe('Flux kinds', () => {
  it('every kind a release serves is a dashboard kind of that release, and no other', () => {
    for (const release of fluxReleases) {
      expect(names(kindsServedIn(release)).sort(), release).toEqual(names(kindApisOf(release)).sort());
    }
  });

  it('Flux 2.7 brings ExternalArtifact and source-watcher\'s ArtifactGenerator, both sources', () => {
    expect(names(kindsServedIn('2.6'))).not.toContain('ArtifactGenerator');
    const added = kindsServedIn('2.7').filter((k) => !names(kindsServedIn('2.6')).includes(k.kind));
    expect(added.map((k) => [k.kind, k.group, k.deployment, k.role])).toEqual([
      ['ExternalArtifact', 'source.toolkit.fluxcd.io', 'source-watcher', 'source'],
      ['ArtifactGenerator', 'source.extensions.fluxcd.io', 'source-watcher', 'source'],
    ]);
  });

  it('the API group matcher takes every kind\'s group and nothing outside fluxcd.io', () => {
    const groups = new RegExp(`^(?:${fluxApiGroupsRegex})$`);
    for (const kind of fluxKinds) expect(groups.test(kind.group), kind.group).toBe(true);
    expect(groups.test('source.extensions.example.io')).toBe(false);
  });

  it('ExternalArtifact has no controller of its own; source-watcher times none of its kinds', () => {
    expect(names(reconciledKinds)).not.toContain('ExternalArtifact');
    expect(controllersWithoutReconcileDuration).toEqual(['source-watcher']);
    expect(names(timedKinds)).not.toContain('ArtifactGenerator');
    expect(names(timedKinds)).not.toContain('Alert');
    expect(names(timedKinds)).toContain('HelmRelease');
  });

  it('source-watcher and the image controllers are optional; the four others every installation runs', () => {
    expect(optionalControllers.sort()).toEqual(
      ['image-automation-controller', 'image-reflector-controller', 'source-watcher'],
    );
    expect(fluxControllers.find((c) => c.deployment === 'source-watcher')?.since).toBe('2.7');
  });
});

describe('kindsWithoutReadiness', () => {
  it('kube-state-metrics and the Flux Operator leave no kind out, at any release', () => {
    for (const release of fluxReleases) {
      expect(kindsWithoutReadiness('kube-state-metrics', release)).toEqual([]);
      expect(kindsWithoutReadiness('flux-operator', release)).toEqual([]);
    }
  });

  it.each([
    ['2.0', []],
    ['2.1', []],
    ['2.2', ['HelmRelease']],
    ['2.3', ['HelmRelease', 'ImageUpdateAutomation']],
    ['2.4', ['HelmRelease', 'ImageUpdateAutomation']],
    ['2.5', names(kindsServedIn('2.5'))],
    ['2.7', names(kindsServedIn('2.7'))],
  ] as const)('legacy on Flux %s leaves out %j', (release, expected) => {
    expect(names(kindsWithoutReadiness('legacy', release))).toEqual(expected);
  });
});
