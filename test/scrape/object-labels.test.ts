/** `objectLabels` in the kube-state-metrics configuration: each key read from the object's metadata.labels. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderArtifacts } from '../../build/render';
import { resolveConfig } from '../../config';
import { outputFiles } from '../../model';
import { customResourceStateConfig, kubeStateMetricsChartValues } from '../../scrape';

const keys = ['team', 'app.kubernetes.io/part-of'];
const config = resolveConfig({ objectLabels: keys });

describe('object labels', () => {
  it('are exported by the kube-state-metrics config from metadata.labels, named as Prometheus allows', () => {
    const state = customResourceStateConfig(config.fluxVersion, keys);
    for (const resource of state.spec.resources) {
      const labels = resource.metrics[0]!.labelsFromPath as Record<string, string[]>;
      expect(labels.team).toEqual(['metadata', 'labels', 'team']);
      expect(labels.app_kubernetes_io_part_of).toEqual(['metadata', 'labels', 'app.kubernetes.io/part-of']);
    }
    expect(kubeStateMetricsChartValues(config.fluxVersion, keys).customResourceState.config).toEqual(state);
    const built = parse(renderArtifacts(config).get(outputFiles.customResourceState)!);
    expect(built).toEqual(state);
  });

  it('leave the configuration as it was when none are configured', () => {
    const plain = customResourceStateConfig(config.fluxVersion);
    for (const resource of plain.spec.resources) {
      expect(Object.values(resource.metrics[0]!.labelsFromPath).some((path) => path[1] === 'labels')).toBe(false);
    }
  });
});
