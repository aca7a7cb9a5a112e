/** `objectLabels`: Kubernetes label keys of Flux objects, checked as Kubernetes and Prometheus would take them. */
import { describe, expect, it } from 'vitest';
import { parseConfig, resolveConfig } from '../../config';
import { objectLabelName } from '../../model';

const refusal = (yaml: string) => {
  try {
    parseConfig(yaml, 'flux.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted: ${yaml}`);
};

describe('objectLabels', () => {
  it('is empty by default and keeps the keys as written', () => {
    expect(resolveConfig({}).objectLabels).toEqual([]);
    expect(resolveConfig({ objectLabels: ['team', 'app.kubernetes.io/part-of'] }).objectLabels)
      .toEqual(['team', 'app.kubernetes.io/part-of']);
  });

  it('names each key by the Prometheus label kube-state-metrics writes: "." and "/" become "_"', () => {
    expect(objectLabelName('team')).toBe('team');
    expect(objectLabelName('app.kubernetes.io/part-of')).toBe('app_kubernetes_io_part_of');
    expect(objectLabelName('example.com/Owner_Team')).toBe('example_com_Owner_Team');
  });

  it.each([
    ['objectLabels: [team/owner/x]', 'objectLabels'],
    ['objectLabels: ["-team"]', 'objectLabels'],
  ])('refuses a key Kubernetes refuses: %s', (yaml, field) => {
    const message = refusal(yaml);
    expect(message).toMatch(new RegExp(`^flux\\.yaml: ${field}`));
    expect(message).not.toContain('\n');
  });

  it('refuses a key whose label name would start with a digit, and says to start with a letter', () => {
    expect(refusal('objectLabels: [1team]')).toBe(
      'flux.yaml: objectLabels has "1team", which becomes the Prometheus label "1team": a label name cannot start ' +
        'with a digit; choose a key that starts with a letter',
    );
  });

  it('refuses a key whose label the queries already read, naming what it is', () => {
    expect(refusal('objectLabels: [ready]')).toBe(
      'flux.yaml: objectLabels has "ready", which becomes the Prometheus label "ready", already a label of ' +
        'gotk_resource_info; remove it or choose another key',
    );
    expect(refusal('objectLabels: [severity]')).toContain("already the alerts' severity label");
    expect(refusal('objectLabels: [cluster]')).toContain('already the cluster label (clusterLabel)');
  });

  it('refuses two keys that become the same label', () => {
    expect(refusal('objectLabels: [example.com/team, example.com-team]')).toBe(
      'flux.yaml: objectLabels has "example.com-team", which becomes the Prometheus label "example_com_team", ' +
        'already the Prometheus label of objectLabels\' key "example.com/team"; remove it or choose another key',
    );
  });

  it.each(['legacy', 'flux-operator'])('refuses object labels in the %s flavour, whose metric has none', (flavor) => {
    expect(refusal(`flavor: ${flavor}\nobjectLabels: [team]`)).toBe(
      `flux.yaml: objectLabels is set with flavor "${flavor}", whose readiness metric carries no labels of the ` +
        'Flux objects; use flavor kube-state-metrics (its gotk_resource_info exports them), or remove objectLabels',
    );
  });
});
