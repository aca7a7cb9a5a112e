/** Every combination of the settings that change query text, each as a resolved configuration with a readable name. */
import { resolveConfig, type Config, type Flavor, type ObjectNamespaceLabel } from '../config';

export interface NamedConfig {
  name: string;
  config: Config;
}

const flavors: Flavor[] = ['kube-state-metrics', 'legacy'];
const clusterLabels: Array<string | null> = ['cluster', null];
const objectNamespaceLabels: ObjectNamespaceLabel[] = ['exported_namespace', 'namespace'];

export const configMatrix: NamedConfig[] = flavors.flatMap((flavor) =>
  clusterLabels.flatMap((clusterLabel) =>
    objectNamespaceLabels.map((objectNamespaceLabel) => ({
      name: `${flavor}, cluster label ${clusterLabel ?? 'none'}, object namespace in ${objectNamespaceLabel}`,
      config: resolveConfig({ flavor, clusterLabel, objectNamespaceLabel }),
    })),
  ),
);
