/** Every combination of the settings that change query text, each as a resolved configuration with a readable name. */
import { resolveConfig, type Config, type Flavor, type LokiPreset, type ObjectNamespaceLabel } from '../config';

export interface NamedConfig {
  name: string;
  config: Config;
}

const flavors: Flavor[] = ['kube-state-metrics', 'legacy', 'flux-operator'];
const clusterLabels: Array<string | null> = ['cluster', null];
const objectNamespaceLabels: ObjectNamespaceLabel[] = ['exported_namespace', 'namespace'];

const settingsName = (flavor: Flavor, clusterLabel: string | null, objectNamespaceLabel: ObjectNamespaceLabel) =>
  `${flavor}, cluster label ${clusterLabel ?? 'none'}, object namespace in ${objectNamespaceLabel}`;

const flavorMatrix: NamedConfig[] = flavors.flatMap((flavor) =>
  clusterLabels.flatMap((clusterLabel) =>
    objectNamespaceLabels.map((objectNamespaceLabel) => ({
      name: settingsName(flavor, clusterLabel, objectNamespaceLabel),
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

/** Recording rules change the names read and the labels kept: each flavour and namespace label. */
const recordingRulesMatrix: NamedConfig[] = flavors.flatMap((flavor) =>
  objectNamespaceLabels.map((objectNamespaceLabel) => {
    const clusterLabel = objectNamespaceLabel === 'namespace' ? null : 'cluster';
    return {
      name: `${settingsName(flavor, clusterLabel, objectNamespaceLabel)}, recording rules`,
      config: resolveConfig({ flavor, clusterLabel, objectNamespaceLabel, recordingRules: true }),
    };
  }),
);

export const configMatrix: NamedConfig[] = [...flavorMatrix, ...lokiPresetMatrix, ...recordingRulesMatrix];

/**
 * One configuration per flavour, with the default labels: for checks of which panels exist (titles and types), the
 * only setting that changes them; the labels, Loki presets and recording rules change query text alone (the
 * counterparts test holds that claim against the whole matrix).
 */
export const flavorConfigs: NamedConfig[] = flavors.map((flavor) => ({
  name: flavor,
  config: resolveConfig({ flavor }),
}));
