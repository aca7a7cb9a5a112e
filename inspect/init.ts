/**
 * `init`'s detection: what the user's Prometheus (and Loki) hold says the flavour, the Flux release, the cluster label,
 * where the object's namespace is and where Flux runs; the smallest configuration that fits, each line with what was
 * seen. What cannot be told stays at its default, said so in a comment.
 */
import { defaultConfig } from '../config/defaults';
import { fluxReleaseFor, parseFluxRelease } from '../config/flux-version';
import { catalogue, targetLabels } from '../model/catalogue';
import { fluxReleaseOfImage } from '../model/controller-releases';
import type { Flavor, ObjectNamespaceLabel } from '../model/flavors';
import type { FluxRelease } from '../model/flux-releases';
import { fluxDeployments } from '../model/kinds';
import { lokiPresets, type LokiPreset } from '../model/loki';
import * as probes from '../queries/inspect';
import type { LokiStreams } from './loki';
import type { PrometheusReader } from './prometheus';

/** One option as detected: its value, and the sentence saying what was seen (or why it stays the default). */
export interface Detected<T> {
  value: T;
  seen: string;
  /** Nothing told it: the default stays. */
  undecided?: true;
}

export interface Detection {
  flavor: Detected<Flavor>;
  fluxVersion: Detected<FluxRelease>;
  clusterLabel: Detected<string | null>;
  objectNamespaceLabel: Detected<ObjectNamespaceLabel>;
  namespace: Detected<string>;
  lokiPreset?: Detected<LokiPreset>;
}

const reconciles = probes.controllerReconciles();
/** Names clusters are most often told apart by, preferred when a series carries several unknown labels. */
const usualClusterLabels = ['cluster', 'k8s_cluster_name', 'cluster_name', 'kubernetes_cluster', 'cluster_id'];

export async function detectPrometheus(prometheus: PrometheusReader, rangeSeconds: number): Promise<Detection> {
  const last = (selector: string) => probes.seenIn(selector, rangeSeconds);
  const has = (selector: string) => prometheus.exists(selector, rangeSeconds);

  const flavor: Detected<Flavor> = await (async () => {
    if (await has('flux_resource_info')) return { value: 'flux-operator', seen: 'flux_resource_info has series' };
    if (await has('gotk_resource_info')) return { value: 'kube-state-metrics', seen: 'gotk_resource_info has series' };
    if (await has('gotk_reconcile_condition')) {
      return { value: 'legacy', seen: 'only gotk_reconcile_condition has series (no gotk_resource_info)' } as const;
    }
    return {
      value: defaultConfig.flavor, undecided: true,
      seen: 'no flux_resource_info, gotk_resource_info or gotk_reconcile_condition series: could not tell',
    } as const;
  })();

  const namespaces = await prometheus.series(probes.countBy(['namespace'], last(reconciles)));
  const found = namespaces.length === 1 ? namespaces[0]!.namespace : undefined;
  const namespace: Detected<string> = found
    ? { value: found, seen: `the controllers' metrics come from namespace ${found}` }
    : {
      value: defaultConfig.namespace, undecided: true,
      seen: namespaces.length ? `controllers in several namespaces (${namespaces.map((s) => s.namespace).join(', ')})`
        : 'no Flux controller metrics: could not tell where Flux runs',
    };

  // Every label a controller series carries that neither the metric nor its scrape explains tells clusters apart.
  const [sample] = await prometheus.series(`topk(1, ${last(reconciles)})`);
  const known = new Set<string>([
    '__name__', ...catalogue.controller_runtime_reconcile_total.labels, ...targetLabels['flux-controller'], 'service',
  ]);
  const unknown = sample ? Object.keys(sample).filter((label) => !known.has(label)) : [];
  const clusterName = usualClusterLabels.find((label) => unknown.includes(label)) ?? unknown.sort()[0];
  const clusterLabel: Detected<string | null> = !sample
    ? { value: defaultConfig.clusterLabel, undecided: true, seen: 'no Flux controller metrics: could not tell' }
    : clusterName
      ? { value: clusterName, seen: `the Flux series carry ${clusterName}` }
      : { value: null, seen: 'the Flux series carry no cluster label (one Prometheus per cluster)' };

  const exported = await has(probes.durationsWithExportedNamespace);
  const objectNamespaces = await prometheus.series(probes.countBy(['namespace'], last(probes.reconcileDurations)));
  const objectNamespaceLabel: Detected<ObjectNamespaceLabel> = exported
    ? { value: 'exported_namespace', seen: 'gotk_reconcile_duration_seconds carries exported_namespace' }
    : objectNamespaces.some((series) => series.namespace && series.namespace !== namespace.value)
      ? { value: 'namespace', seen: 'the scrape honours labels: the objects\' namespaces are in namespace' }
      : {
        value: defaultConfig.objectNamespaceLabel, undecided: true,
        seen: 'no gotk_reconcile_duration_seconds: could not tell',
      };

  const fluxVersion = await detectFluxVersion(prometheus, last, flavor.value, namespace.value);
  return { flavor, fluxVersion, clusterLabel, objectNamespaceLabel, namespace };
}

/** The release from the FluxInstance's revision, else from the controllers' image tags. */
async function detectFluxVersion(
  prometheus: PrometheusReader, last: (selector: string) => string, flavor: Flavor, namespace: string,
): Promise<Detected<FluxRelease>> {
  const fallback = fluxReleaseFor(flavor, undefined);
  const instances = await prometheus.series(probes.countBy(['revision'], last('flux_instance_info')));
  for (const { revision } of instances) {
    const version = /^v?(\d+\.\d+(\.\d+)?)/.exec(revision ?? '')?.[1];
    if (!version) continue;
    try {
      return { value: parseFluxRelease(version), seen: `the FluxInstance's revision is ${revision!.split('@')[0]}` };
    } catch {
      // A release this package does not know: try the images.
    }
  }
  const images = await prometheus.series(probes.countBy(['image'], last(probes.containersIn(namespace))));
  const releases = new Map<FluxRelease, string>();
  for (const { image } of images) {
    const match = /\/([a-z-]+):(v[^@]+)/.exec(image ?? '');
    if (!match || !fluxDeployments.includes(match[1]!)) continue;
    const release = fluxReleaseOfImage(match[1]!, match[2]!);
    if (release) releases.set(release, `${match[1]}:${match[2]}`);
  }
  if (releases.size === 1) {
    const [release, image] = [...releases][0]!;
    return { value: release, seen: `the controllers' images (${image}…) ship with Flux ${release}` };
  }
  return {
    value: fallback, undecided: true,
    seen: releases.size > 1
      ? `controllers of several Flux releases (${[...releases.keys()].join(', ')}): could not tell`
      : 'no FluxInstance and no known controller image tags: could not tell',
  };
}

/** The preset whose labels the Flux namespace's streams carry. */
export function detectLokiPreset(loki: LokiStreams, namespace: string): Detected<LokiPreset> {
  const fallback = defaultConfig.loki.preset;
  if (!loki.streams.length) {
    const seen = `Loki has no streams with namespace="${namespace}": could not tell`;
    return { value: fallback, undecided: true, seen };
  }
  const labels = new Set(loki.streams.flatMap((stream) => Object.keys(stream)));
  const values = (label: string) => loki.streams.map((stream) => stream[label]).filter(Boolean) as string[];
  const isController = (value: string) => fluxDeployments.includes(value);
  const isControllerPod = (value: string) => fluxDeployments.some((deployment) => value.startsWith(`${deployment}-`));
  for (const preset of Object.keys(lokiPresets) as LokiPreset[]) {
    const pipeline = lokiPresets[preset];
    const matches = pipeline.controllerLabelHolds === 'controller' ? isController : isControllerPod;
    if (pipeline.controllerLabelIn === 'stream' && labels.has(pipeline.controllerLabel) &&
      values(pipeline.controllerLabel).some(matches)) {
      return { value: preset, seen: `the Flux streams carry the stream label ${pipeline.controllerLabel}` };
    }
    if (pipeline.controllerLabelIn === 'structured-metadata' && !labels.has(pipeline.controllerLabel) &&
      loki.structuredMetadata.includes(pipeline.controllerLabel)) {
      return { value: preset, seen: `${pipeline.controllerLabel} is structured metadata of the Flux streams` };
    }
  }
  return { value: fallback, undecided: true, seen: 'no label of the streams names the controllers: could not tell' };
}

/**
 * The configuration file: options that differ from the defaults, each with what was seen; options at their default
 * as comments saying why.
 */
export function configText(detection: Detection): string {
  const lines = ['# Written by `flux-dashboards init` from what the Prometheus (and Loki) held.'];
  const option = <T>(key: string, detected: Detected<T>, defaultValue: T) => {
    const value = detected.value === null ? 'null' : JSON.stringify(detected.value);
    if (detected.value !== defaultValue) lines.push(`${key}: ${value} # ${detected.seen}`);
    else if (detected.undecided) lines.push(`# ${key}: left at its default ${value}: ${detected.seen}`);
    else lines.push(`# ${key}: ${value} is the default: ${detected.seen}`);
  };
  option('flavor', detection.flavor, defaultConfig.flavor);
  option('fluxVersion', detection.fluxVersion, fluxReleaseFor(detection.flavor.value, undefined));
  option('clusterLabel', detection.clusterLabel, defaultConfig.clusterLabel);
  option('namespace', detection.namespace, defaultConfig.namespace);
  option('objectNamespaceLabel', detection.objectNamespaceLabel, defaultConfig.objectNamespaceLabel);
  const preset = detection.lokiPreset;
  if (preset && preset.value !== defaultConfig.loki.preset) {
    lines.push('loki:', `  preset: ${preset.value} # ${preset.seen}`);
  } else if (preset) {
    lines.push(`# loki.preset: ${preset.value}${preset.undecided ? ' left at' : ' is'} the default: ${preset.seen}`);
  }
  return `${lines.join('\n')}\n`;
}
