/** Every combination of the settings that change query text, each as a resolved configuration with a readable name. */
import { resolveConfig, type Config, type Flavor, type LokiPreset, type ObjectNamespaceLabel } from '../config';

export interface NamedConfig {
  name: string;
  config: Config;
}

const flavors: Flavor[] = ['kube-state-metrics', 'legacy', 'flux-operator'];
const clusterLabels: Array<string | null> = ['cluster', null];
const objectNamespaceLabels: ObjectNamespaceLabel[] = ['exported_namespace', 'namespace'];

const flavorMatrix: NamedConfig[] = flavors.flatMap((flavor) =>
  clusterLabels.flatMap((clusterLabel) =>
    objectNamespaceLabels.map((objectNamespaceLabel) => ({
      name: `${flavor}, cluster label ${clusterLabel ?? 'none'}, object namespace in ${objectNamespaceLabel}`,
      config: resolveConfig({ flavor, clusterLabel, objectNamespaceLabel }),
    })),
  ),
);

/** The log pipelines besides the default Promtail, with and without a cluster label: they change only LogQL. */
const otherLokiPresets: LokiPreset[] = ['alloy-k8s-monitoring-v1-v2', 'alloy-k8s-monitoring-v3-plus'];
const lokiPresetMatrix: NamedConfig[] = otherLokiPresets.flatMap((preset) =>
  clusterLabels.map((clusterLabel) => ({
    name: `Loki preset ${preset}, cluster label ${clusterLabel ?? 'none'}`,
    config: resolveConfig({ clusterLabel, loki: { preset } }),
  })),
);

export const configMatrix: NamedConfig[] = [...flavorMatrix, ...lokiPresetMatrix];
