/**
 * The committed pictures (docs/pictures/): every dashboard in the default configuration and in the Flux Operator
 * flavour, dark and light, as Grafana opens it, and once more with every row open; all on one test fleet with failing,
 * suspended, stalled and slow objects, at a fixed time so that remaking them draws the same.
 */
import { resolveConfig, type Config } from '../config';
import { buildDashboards, type DashboardJson } from '../dashboards';
import { dashboardIdentities } from '../model';
import { defaultFleetOptions, liveObjects, type Fleet, type FleetOptions } from '../fixtures/fleet/fleet';
import { logEnd, logStreams } from '../fixtures/fleet/flux-log-streams';
import { serveFleets, type ServedFleets } from '../fixtures/fleet/serve';
import type { TimeRange } from '../fixtures/fleet/grafana';
import type { PrometheusClient } from '../fixtures/prometheus';
import { openPreviewBrowser, type PreviewBrowser } from './browser';
import type { Scene } from './scene';
import { sceneOf } from './scene-of';

export const flavours = [
  { name: 'default', config: resolveConfig({}) },
  { name: 'flux-operator', config: resolveConfig({ flavor: 'flux-operator' }) },
] as const;
export type FlavourName = (typeof flavours)[number]['name'];
export type Theme = 'dark' | 'light';

/**
 * The dashboards' own default range (now-30m) at a fixed time: a minute and a half after the fixture logs end, so that
 * the time axes do not end on a round tick as no real "now" does.
 */
export const pictureRange: TimeRange = { from: logEnd + 90 - 1800, to: logEnd + 90 };
/** Wide enough for a README and a docs page, narrow enough that their text stays readable when shrunk. */
export const pictureWidth = 1440;

export interface Picture {
  file: string;
  flavour: FlavourName;
  uid: string;
  theme: Theme;
  open: boolean;
}

const uids = [
  dashboardIdentities.controlPlane.uid, dashboardIdentities.cluster.uid, dashboardIdentities.logs.uid,
  dashboardIdentities.object.uid,
];

export const pictures: Picture[] = flavours.flatMap(({ name: flavour }) =>
  uids.flatMap((uid) => [
    ...(['dark', 'light'] as const).map((theme) => ({
      file: `${uid}-${flavour}-${theme}.png`, flavour, uid, theme, open: false,
    })),
    ...(flavour === 'default'
      ? [{ file: `${uid}-${flavour}-dark-open.png`, flavour, uid, theme: 'dark' as const, open: true }]
      : []),
  ]),
);

function fleetOptions(config: Config): FleetOptions {
  return {
    ...defaultFleetOptions,
    end: pictureRange.to,
    duration: pictureRange.to - pictureRange.from + 900,
    clusters: 2,
    objectsPerKind: 6,
    clusterLabel: config.clusterLabel,
    flavor: config.flavor,
    fluxVersion: config.fluxVersion,
    objectNamespaceLabel: config.objectNamespaceLabel,
    fluxNamespace: config.namespace,
  };
}

/** The object dashboard's object: a failing Kustomization, as a link from the failing objects table opens it. */
export function pictureObject(fleet: Fleet, config: Config): Record<string, string> {
  const object = liveObjects(fleet).find(
    (candidate) => candidate.kind.kind === 'Kustomization' && candidate.role === 'failing',
  )!;
  return {
    ...(config.clusterLabel ? { cluster: object.cluster } : {}),
    kind: object.kind.kind,
    [config.objectNamespaceLabel]: object.namespace,
    name: object.name,
  };
}

export interface PictureFleets {
  scene(picture: Picture): Promise<Scene>;
  dashboards(flavour: FlavourName): DashboardJson[];
  stop(): Promise<void>;
}

/** Serves the pictures' fleets (one Prometheus per flavour) and makes each picture's scene. */
export async function servePictureFleets(): Promise<PictureFleets> {
  const served: ServedFleets = await serveFleets(flavours.map(({ config }) => fleetOptions(config)));
  const of = (flavour: FlavourName) => {
    const index = flavours.findIndex(({ name }) => name === flavour);
    const { fleet, prometheus } = served.fleets[index]!;
    const config = flavours[index]!.config;
    return { fleet, prometheus: prometheus as PrometheusClient, config };
  };
  return {
    dashboards: (flavour) => buildDashboards(of(flavour).config),
    async scene(picture) {
      const { fleet, prometheus, config } = of(picture.flavour);
      const dashboard = buildDashboards(config).find((candidate) => candidate.uid === picture.uid)!;
      const logs = logStreams(config.loki.preset, { namespace: config.namespace, clusterLabel: config.clusterLabel });
      return sceneOf(
        dashboard,
        { prometheus, scrapeInterval: defaultFleetOptions.scrapeInterval, logs },
        {
          range: pictureRange,
          theme: picture.theme,
          open: picture.open,
          width: pictureWidth,
          selection: picture.uid === dashboardIdentities.object.uid ? pictureObject(fleet, config) : {},
        },
      );
    },
    stop: () => served.stop(),
  };
}

export { openPreviewBrowser, type PreviewBrowser };
