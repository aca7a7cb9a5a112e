/** Scrape-side configuration: what makes the metrics the dashboards read exist. */
import type { Config, FluxRelease } from '../config';
import { manifestFiles, outputFiles } from '../model/outputs';
import { toYamlFile, type ModuleArtifacts } from '../output';
import { customResourceStateConfig } from './kube-state-metrics';
import { fluxOperatorPodMonitor, fluxPodMonitor } from './podmonitor';

/** Object paths (`[status, conditions, "[type=Ready]", status]`) on one line, as kube-state-metrics documents them. */
export const flowListsUnder = ['labelsFromPath', 'verbs'];

const customResourceStateAbout = (release: FluxRelease) =>
  'kube-state-metrics CustomResourceState config (--custom-resource-state-config-file): ' +
  `exports gotk_resource_info per Flux object, with the API versions of Flux ${release}.`;

/** kube-state-metrics config for the configured Flux release (the legacy flavour reads the controllers, needs none). */
function kubeStateMetricsFiles(config: Config): [string, string][] {
  const release = config.fluxVersion;
  const stateConfig = customResourceStateConfig(release, config.objectLabels);
  return [
    [
      outputFiles.customResourceState,
      toYamlFile(stateConfig, { flowListsUnder, about: customResourceStateAbout(release) }),
    ],
  ];
}

function operatorPodMonitor(config: Config) {
  const about =
    `Scrapes the Flux Operator in namespace ${config.namespace} (flux_resource_info); ` +
    "disable the operator chart's own ServiceMonitor.";
  return { file: manifestFiles.operatorPodMonitor, yaml: toYamlFile(fluxOperatorPodMonitor(config), { about }) };
}

/** The kube-state-metrics files, and the PodMonitors for the Kubernetes packaging. */
export function scrapeArtifacts(config: Config): ModuleArtifacts {
  const about = `Scrapes every Flux controller in namespace ${config.namespace}.`;
  return {
    files: new Map(config.flavor === 'kube-state-metrics' ? kubeStateMetricsFiles(config) : []),
    manifests: [
      { file: manifestFiles.podMonitor, yaml: toYamlFile(fluxPodMonitor(config), { about }) },
      // The operator exports readiness itself: no kube-state-metrics configuration, its own scrape instead.
      ...(config.flavor === 'flux-operator' ? [operatorPodMonitor(config)] : []),
    ],
  };
}

export {
  customResourceStateConfig, fluxReadRule, kubeStateMetricsChartValues, objectLabelPaths,
} from './kube-state-metrics';
