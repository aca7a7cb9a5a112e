import type { Config } from '../config';
import {
  lokiPresets, objectLabelName, type Flavor, type FluxRelease, type LokiPipeline, type ObjectNamespaceLabel,
} from '../model';
import { variableNames, variableRef } from '../model/variables';

/**
 * What a query is a function of: the installation's scrape settings and the selection it is drawn for. On a dashboard
 * the selection is Grafana variables (`$namespace`); in an alert rule it is fixed values.
 */
export interface Scope {
  flavor: Flavor;
  /** The Flux release: which kinds the legacy metrics cover. */
  fluxVersion: FluxRelease;
  /** The label that tells clusters apart, or null: then no selector carries a cluster matcher. */
  clusterLabel: string | null;
  objectNamespaceLabel: ObjectNamespaceLabel;
  /** Prometheus names of the Flux objects' Kubernetes labels that per-object alerts carry (`objectLabels`). */
  objectLabels: string[];
  /** Where the log pipeline puts the namespace and the controller. */
  loki: LokiPipeline;
  /** Regex of the clusters to show; null matches every cluster without a matcher. */
  cluster: string | null;
  /** Regex of the namespace Flux runs in. */
  fluxNamespace: string;
  /** Regex of the Flux objects' namespaces. */
  objectNamespace: string;
  /** Regex of the Flux object kinds (`Kustomization|HelmRelease`). */
  kind: string;
  /** Regex of the Flux objects' names; absent: every name, without a matcher. */
  objectName?: string;
  /** Window of `rate`/`irate`. */
  rateInterval: string;
  /** Window of the whole time range, for totals over it. */
  range: string;
  /** Dear rates are read from the series the recording rules write, not computed from the raw series. */
  recorded: boolean;
}

function scrapeSettings(config: Config) {
  const preset = lokiPresets[config.loki.preset];
  return {
    flavor: config.flavor,
    fluxVersion: config.fluxVersion,
    clusterLabel: config.clusterLabel,
    objectNamespaceLabel: config.objectNamespaceLabel,
    objectLabels: config.objectLabels.map(objectLabelName),
    loki: {
      ...preset,
      namespaceLabel: config.loki.namespaceLabel ?? preset.namespaceLabel,
      controllerLabel: config.loki.controllerLabel ?? preset.controllerLabel,
    },
  };
}

/** The scope of a dashboard panel: every selection is a Grafana variable. */
export function dashboardScope(config: Config): Scope {
  return {
    ...scrapeSettings(config),
    cluster: config.clusterLabel ? variableRef(variableNames.cluster) : null,
    fluxNamespace: variableRef(variableNames.namespace),
    objectNamespace: variableRef(variableNames.objectNamespace),
    kind: variableRef(variableNames.kind),
    rateInterval: '$__rate_interval',
    range: '$__range',
    recorded: config.recordingRules,
  };
}

/** The scope of an alert rule: every cluster and object, Flux's namespace from the configuration. */
export function alertScope(config: Config, rateInterval = '5m'): Scope {
  return {
    ...scrapeSettings(config),
    cluster: null,
    fluxNamespace: config.namespace,
    objectNamespace: '.*',
    kind: '.*',
    rateInterval,
    range: '1h',
    recorded: config.recordingRules,
  };
}

/** The scope of a recording rule: an alert's, over the recorded window, reading the raw series it records. */
export function recordingScope(config: Config, window: string): Scope {
  return { ...alertScope(config, window), recorded: false };
}

/** The scope of the object dashboard: one object, chosen by its kind, namespace and name variables. */
export function objectScope(config: Config): Scope {
  return { ...dashboardScope(config), objectName: variableRef(variableNames.objectName) };
}

/** The scope of the logs dashboard: the object's namespace is a free regex, not the metrics' namespace list. */
export function logsScope(config: Config): Scope {
  return { ...dashboardScope(config), objectNamespace: variableRef(variableNames.logObjectNamespace) };
}
