/**
 * The fleet shapes the dashboard bench sweeps: scrape interval, clusters, Flux controllers and objects per cluster.
 * The full cartesian product (3 × 3 × 3 × 2 = 54 fleets) would take hours on two cores; the sweep is a Latin square
 * over scrape interval × clusters (nine fleets, every pair of the two once), each cell given one of the three
 * controller sets so that every scrape interval and every cluster count meets each set once, and objects per cluster
 * alternating so that every scrape interval meets both 100 and 1,000. The dearest corner for the control plane
 * (60 s, 14 controllers) and the largest fleet (20 × 1,000) are cells of it.
 */
import { kindsRunIn, type FleetOptions } from '../fixtures/fleet/fleet';
import { newestFluxRelease } from '../config';

/** Bad input (an environment variable), told in one line. */
export class BenchInputError extends Error {}

/** controller-runtime controllers each set runs besides the Flux Operator's (which runs in every fleet). */
export const controllerSets: Record<number, readonly string[]> = {
  6: ['kustomization', 'helmrelease', 'gitrepository', 'helmrepository', 'helmchart', 'artifactgenerator'],
  10: [
    'kustomization', 'helmrelease', 'gitrepository', 'ocirepository', 'helmrepository', 'helmchart',
    'artifactgenerator', 'receiver', 'alert', 'provider',
  ],
  14: [
    'kustomization', 'helmrelease', 'gitrepository', 'ocirepository', 'bucket', 'helmrepository', 'helmchart',
    'artifactgenerator', 'imagerepository', 'imagepolicy', 'imageupdateautomation', 'receiver', 'alert', 'provider',
  ],
};

export interface Shape {
  scrapeInterval: number;
  clusters: number;
  /** Flux controller-runtime controllers (a key of `controllerSets`). */
  controllers: number;
  objectsPerCluster: number;
}

export const shapeName = (shape: Shape) =>
  `${shape.scrapeInterval}s ${shape.clusters}×${shape.objectsPerCluster} ${shape.controllers}c`;

/**
 * The Latin square (rows scrape interval, columns clusters, cells controllers and objects per cluster), dearest first:
 * the largest fleet and the 60 s corner lead, so a run cut short still holds the shapes that decide the goals.
 */
export const sweep: Shape[] = [
  { scrapeInterval: 60, clusters: 20, controllers: 14, objectsPerCluster: 1000 },
  { scrapeInterval: 60, clusters: 1, controllers: 10, objectsPerCluster: 1000 },
  { scrapeInterval: 60, clusters: 5, controllers: 6, objectsPerCluster: 100 },
  // Beside the square: 100 clusters, where every per-cluster bound is reached (the bound at fleet scale), and the
  // largest fleet's twin with 100 objects per cluster, to fit each panel's growth with the objects of a cluster.
  { scrapeInterval: 60, clusters: 100, controllers: 14, objectsPerCluster: 100 },
  { scrapeInterval: 60, clusters: 20, controllers: 14, objectsPerCluster: 100 },
  { scrapeInterval: 30, clusters: 1, controllers: 14, objectsPerCluster: 100 },
  { scrapeInterval: 15, clusters: 1, controllers: 6, objectsPerCluster: 1000 },
  { scrapeInterval: 15, clusters: 5, controllers: 14, objectsPerCluster: 100 },
  { scrapeInterval: 30, clusters: 20, controllers: 6, objectsPerCluster: 100 },
  { scrapeInterval: 30, clusters: 5, controllers: 10, objectsPerCluster: 1000 },
  { scrapeInterval: 15, clusters: 20, controllers: 10, objectsPerCluster: 100 },
];

/** `BENCH_SHAPES=60:20:14:1000,15:1:6:100` (scrape seconds:clusters:controllers:objects per cluster), or the sweep. */
export function shapesToRun(text = process.env.BENCH_SHAPES): Shape[] {
  if (text === undefined || text.trim() === '') return sweep;
  return text.split(',').map((item) => {
    const match = /^(15|30|60):(\d+):(6|10|14):(\d+)$/.exec(item.trim());
    const fix =
      'give scrape:clusters:controllers:objects, scrape 15|30|60 and controllers 6|10|14, e.g. 60:20:14:1000';
    if (!match) throw new BenchInputError(`BENCH_SHAPES: "${item}" is not a fleet shape: ${fix}`);
    const [scrapeInterval, clusters, controllers, objectsPerCluster] = match.slice(1).map(Number) as [
      number, number, number, number,
    ];
    if (clusters < 1 || objectsPerCluster < 1) throw new BenchInputError(`BENCH_SHAPES: "${item}": ${fix}`);
    return { scrapeInterval, clusters, controllers, objectsPerCluster };
  });
}

/** The fleet options of a shape: its controllers' kinds share the objects of each cluster. */
export function shapeOptions(shape: Shape): Pick<
  FleetOptions, 'scrapeInterval' | 'clusters' | 'controllers' | 'objectsPerKind'
> {
  const controllers = controllerSets[shape.controllers]!;
  const kinds = kindsRunIn({ fluxVersion: newestFluxRelease, controllers }).length;
  return {
    scrapeInterval: shape.scrapeInterval,
    clusters: shape.clusters,
    controllers,
    objectsPerKind: Math.max(1, Math.round(shape.objectsPerCluster / kinds)),
  };
}
