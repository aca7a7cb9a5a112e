/**
 * The fleets the end-to-end tests read, one Prometheus each. They are declared here, not in the test files, so that
 * vitest's global setup (fleet-setup.ts) can build and serve them all once for the run, before any test file loads;
 * the tests find theirs by key (served.ts). A fleet two tests declare alike is built once.
 */
import { stringify } from 'yaml';
import { recordingGroups } from '../../alerts';
import { resolveConfig, type Config } from '../../config';
import { buildDashboards, type DashboardJson, type PanelJson } from '../../dashboards';
import { defaultFleetOptions, type FleetOptions } from '../../fixtures/fleet/fleet';
import { panelsOf } from '../../fixtures/fleet/grafana';
import type { ServeOptions } from '../../fixtures/fleet/serve';
import { configMatrix, type NamedConfig } from '../configs';

export interface FleetSetup {
  name: string;
  config: Config;
  clusters: number;
  objectsPerKind: number;
}

/** prometheus.test.ts draws the dashboards over the last hour; a quarter hour more gives the first rate windows. */
export const dashboardRange = 3600;

/**
 * Three Flux releases: the newest, 2.0 (no panics counter, no `controller` on work queues) and 2.5 (no `priority`); the
 * Flux Operator's flavour on the newest; the recording rules, backfilled over the fleet's history so that dashboards
 * and alerts read what they recorded.
 */
export const prometheusSetups: FleetSetup[] = [
  {
    name: 'kube-state-metrics, several clusters, newest Flux',
    config: resolveConfig({}),
    clusters: 3,
    objectsPerKind: 8,
  },
  {
    name: 'legacy metrics, Flux 2.0',
    config: resolveConfig({ flavor: 'legacy', fluxVersion: '2.0' }),
    clusters: 2,
    objectsPerKind: 6,
  },
  {
    name: 'Flux Operator, several clusters, newest Flux',
    config: resolveConfig({ flavor: 'flux-operator' }),
    clusters: 2,
    objectsPerKind: 6,
  },
  {
    name: 'one Prometheus without cluster label, honor_labels, Flux 2.5',
    config: resolveConfig({ clusterLabel: null, objectNamespaceLabel: 'namespace', fluxVersion: '2.5' }),
    clusters: 1,
    objectsPerKind: 8,
  },
  {
    name: 'kube-state-metrics, several clusters, recording rules',
    config: resolveConfig({ recordingRules: true }),
    clusters: 3,
    objectsPerKind: 8,
  },
];

/** what-a-user-sees.test.ts shows tables and stats at their last value: a quarter hour, and one before it for rates. */
export const drawnRange = 900;

/** The panels a configuration's dashboards draw as tables and stats, each with its dashboard. */
export function panelsToDraw<Panel extends PanelJson = PanelJson>(dashboards: DashboardJson[]) {
  return dashboards.flatMap((dashboard) =>
    (['table', 'stat'] as const).flatMap((type) =>
      (panelsOf(dashboard) as Panel[])
        .filter((panel) => panel.type === type)
        .map((panel) => ({ dashboard, panel, name: `${dashboard.uid} / ${String(panel.title)}` })),
    ),
  );
}

/** The configurations whose tables and stats differ (the Loki presets change only LogQL), each drawn once. */
export const drawnConfigs: NamedConfig[] = (() => {
  const seen = new Set<string>();
  return configMatrix.filter((named) => {
    const panels = panelsToDraw(buildDashboards(named.config)).map(({ panel }) => panel);
    const key = JSON.stringify([named.config.fluxVersion, panels]);
    return !seen.has(key) && Boolean(seen.add(key));
  });
})();

export type PlannedFleetOptions = Omit<FleetOptions, 'end'> & ServeOptions;

function fleetOptions(config: Config, clusters: number, objectsPerKind: number, duration: number): PlannedFleetOptions {
  return {
    ...defaultFleetOptions,
    duration,
    clusters,
    objectsPerKind,
    clusterLabel: config.clusterLabel,
    flavor: config.flavor,
    fluxVersion: config.fluxVersion,
    objectNamespaceLabel: config.objectNamespaceLabel,
    fluxNamespace: config.namespace,
    recordingRules: config.recordingRules ? stringify({ groups: recordingGroups(config) }) : undefined,
  };
}

export const prometheusFleetKey = (setup: FleetSetup) => `prometheus: ${setup.name}`;
export const drawnFleetKey = (named: NamedConfig) => `drawn: ${named.name}`;

/**
 * Every fleet of the run by key. A configuration both files read is drawn on prometheus.test.ts's fleet (larger and
 * longer): the tests compare with whatever fleet they are given, so one fleet serves both.
 */
export function plannedFleets(): Map<string, PlannedFleetOptions> {
  const setupFleets = prometheusSetups.map((setup) => ({
    setup,
    options: fleetOptions(setup.config, setup.clusters, setup.objectsPerKind, dashboardRange + 900),
  }));
  const setupFleetOf = (config: Config) =>
    setupFleets.find(({ setup }) => JSON.stringify(setup.config) === JSON.stringify(config))?.options;
  return new Map([
    ...setupFleets.map(({ setup, options }) => [prometheusFleetKey(setup), options] as const),
    ...drawnConfigs.map((named) => [
      drawnFleetKey(named),
      setupFleetOf(named.config) ?? fleetOptions(named.config, named.config.clusterLabel ? 2 : 1, 6, drawnRange + 900),
    ] as const),
  ]);
}

/** What the global setup hands each test file about a fleet: its Prometheus, and how to make the same fleet again. */
export interface ProvidedFleet {
  url: string;
  options: FleetOptions;
  /** The labels the OpenMetrics writer gave each metric. */
  labelsSeen: Array<[string, string[]]>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fleets: Record<string, ProvidedFleet>;
    /** The last sample time of every fleet, Unix seconds. */
    fleetEnd: number;
  }
}
