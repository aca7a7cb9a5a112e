/**
 * `npm run bench`: how long a full build takes in-process, and what drawing each dashboard once costs Prometheus on
 * fleets of about 100, 1,000 and 5,000 objects (targets, samples touched, query time), beside the official Flux
 * dashboard of the same uid (bench/official/, or the folder FLUX_OFFICIAL_DASHBOARDS names): the first draw (what
 * Grafana queries on opening, collapsed rows left closed) and the draw with every row opened. Prints a table and
 * writes bench/results.json. BENCH_FLEET_SIZES (e.g. `100,1000`) draws on other fleet sizes.
 * The package is used through its entry points, as a user would; the fleet comes from fixtures/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderArtifacts } from 'flux-dashboards/build';
import { resolveConfig } from 'flux-dashboards/config';
import { buildDashboards } from 'flux-dashboards/dashboards';
import { defaultFleetOptions, fleetEnd, liveObjects, objectsPerKindFor } from '../fixtures/fleet/fleet';
import {
  prometheusTargets,
  resolveVariables,
  runTarget,
  type DashboardLike,
  type Draw,
  type TimeRange,
} from '../fixtures/fleet/grafana';
import { serveFleets } from '../fixtures/fleet/serve';
import type { PrometheusServer } from '../fixtures/prometheus';
import { benchCli, printCliBench } from './cli';

/** Bad input (an environment variable), told in one line. */
class BenchInputError extends Error {}

const here = dirname(fileURLToPath(import.meta.url));
const officialFiles = ['control-plane.json', 'cluster.json'];
const config = resolveConfig({});
const clusters = 2;
const defaultFleetSizes = [100, 1_000, 5_000];
/** Dashboards are drawn over the last hour (the fleet has a quarter hour more for the first rate windows). */
const rangeSeconds = 3600;
const buildRuns = 21;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function timeBuild(): { medianMs: number; runs: number; files: number } {
  let files = renderArtifacts(config).size;
  const times: number[] = [];
  for (let run = 0; run < buildRuns; run++) {
    const started = performance.now();
    files = renderArtifacts(config).size;
    times.push(performance.now() - started);
  }
  return { medianMs: median(times), runs: buildRuns, files };
}

interface DrawCost {
  targets: number;
  samples: number;
  querySeconds: number;
}

interface DashboardCost {
  dashboard: string;
  source: 'ours' | 'official';
  objects: number;
  /** What Grafana queries when the dashboard opens: panels inside collapsed rows wait until the row is opened. */
  firstDraw: DrawCost;
  /** Every panel, as if each collapsed row were opened. */
  expanded: DrawCost;
}

async function drawOnce(dashboard: DashboardLike, prometheus: PrometheusServer, range: TimeRange, draw: Draw): Promise<DrawCost> {
  const variables = await resolveVariables(dashboard, prometheus, range);
  const targets = prometheusTargets(dashboard, draw);
  let samples = 0;
  let querySeconds = 0;
  for (const target of targets) {
    const run = await runTarget(prometheus, target, variables, range, defaultFleetOptions.scrapeInterval);
    samples += run.samples;
    querySeconds += run.seconds;
  }
  return { targets: targets.length, samples, querySeconds };
}

function fleetSizes(): number[] {
  const text = process.env.BENCH_FLEET_SIZES;
  if (text === undefined) return defaultFleetSizes;
  const sizes = text.split(',').map((size) => Number(size.trim()));
  if (sizes.length === 0 || !sizes.every((size) => Number.isInteger(size) && size > 0)) {
    throw new BenchInputError(`BENCH_FLEET_SIZES="${text}" is not a list of object counts: give e.g. 100,1000`);
  }
  return sizes;
}

/** The official dashboards, from bench/official/ unless FLUX_OFFICIAL_DASHBOARDS names another folder. */
function officialDashboards(): DashboardLike[] {
  const fromEnv = process.env.FLUX_OFFICIAL_DASHBOARDS;
  const folder = fromEnv ?? join(here, 'official');
  return officialFiles.map((file) => {
    const path = join(folder, file);
    const where = fromEnv === undefined ? 'bench/official/' : `FLUX_OFFICIAL_DASHBOARDS=${fromEnv}`;
    if (!existsSync(path)) {
      const fix = 'put the official dashboard there (see bench/official/SOURCES.md)';
      throw new BenchInputError(`${where} holds no ${file}: ${fix}`);
    }
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as DashboardLike;
    } catch {
      const fix = 'copy the official dashboard again (see bench/official/SOURCES.md)';
      throw new BenchInputError(`${path} is not valid JSON: ${fix}`);
    }
  });
}

const resultsPath = join(here, 'results.json');

/** `npm run bench -- cli`: only the command-line comparison, merged into the results of the last full run. */
async function onlyCli(): Promise<void> {
  const cli = await benchCli();
  printCliBench(cli);
  const previous = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(resultsPath, `${JSON.stringify({ ...previous, cli }, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'cli') return onlyCli();
  const cli = await benchCli();
  printCliBench(cli);
  const sizes = fleetSizes();
  const official = officialDashboards();
  const build = timeBuild();
  console.log(`full build in-process (renderArtifacts, ${build.files} files): median ${build.medianMs.toFixed(1)} ms over ${build.runs} runs`);

  const end = fleetEnd();
  const range: TimeRange = { from: end - rangeSeconds, to: end };
  const served = await serveFleets(
    sizes.map((size) => ({
      ...defaultFleetOptions,
      end,
      duration: rangeSeconds + 900,
      clusters,
      objectsPerKind: objectsPerKindFor(size, clusters),
    })),
  );
  const costs: DashboardCost[] = [];
  try {
    const ours = buildDashboards(config).filter((dashboard) => prometheusTargets(dashboard).length > 0);
    for (const { fleet, prometheus } of served.fleets) {
      const objects = liveObjects(fleet).length;
      const cost = async (dashboard: DashboardLike, source: DashboardCost['source']): Promise<DashboardCost> => ({
        dashboard: dashboard.uid,
        source,
        objects,
        firstDraw: await drawOnce(dashboard, prometheus, range, 'first'),
        expanded: await drawOnce(dashboard, prometheus, range, 'expanded'),
      });
      for (const dashboard of ours) {
        costs.push(await cost(dashboard, 'ours'));
        const theirs = official.find((candidate) => candidate.uid === dashboard.uid);
        if (theirs) costs.push(await cost(theirs, 'official'));
      }
    }
  } finally {
    await served.stop();
  }

  console.log('\ndashboard drawn once over 1 h (2 clusters, 30 s scrape interval): first draw | every row opened');
  console.log(['dashboard', 'source', 'objects', 'targets', 'samples', 'query s', 'targets', 'samples', 'query s'].map((h) => h.padEnd(19)).join(''));
  for (const cost of costs) {
    const draws = [cost.firstDraw, cost.expanded].flatMap((draw) => [draw.targets, draw.samples, draw.querySeconds.toFixed(3)]);
    console.log([cost.dashboard, cost.source, cost.objects, ...draws].map((v) => String(v).padEnd(19)).join(''));
  }

  const growth = (draw: 'firstDraw' | 'expanded') =>
    [...new Set(costs.filter((c) => c.source === 'ours').map((c) => c.dashboard))].every((uid) => {
      const series = costs.filter((c) => c.source === 'ours' && c.dashboard === uid);
      const [first, last] = [series[0]!, series[series.length - 1]!];
      return last[draw].samples / first[draw].samples <= last.objects / first.objects;
    });
  const goals = {
    buildUnder100ms: build.medianMs < 100,
    samplesGrowNoFasterThanObjects: { firstDraw: growth('firstDraw'), expanded: growth('expanded') },
    /** The product's goal compares first draws, which is what opening a dashboard costs. */
    noMoreSamplesThanOfficial: costs
      .filter((c) => c.source === 'official')
      .map((theirs) => {
        const ours = costs.find((c) => c.source === 'ours' && c.dashboard === theirs.dashboard && c.objects === theirs.objects)!;
        return {
          dashboard: theirs.dashboard,
          objects: theirs.objects,
          ours: ours.firstDraw.samples,
          official: theirs.firstDraw.samples,
          met: ours.firstDraw.samples <= theirs.firstDraw.samples,
          expanded: { ours: ours.expanded.samples, official: theirs.expanded.samples, met: ours.expanded.samples <= theirs.expanded.samples },
        };
      }),
  };
  console.log('\ngoals', JSON.stringify(goals, null, 2));
  const results = {
    prometheus: '2.42 (promtool backfill)',
    rangeSeconds,
    clusters,
    fleetSizes: sizes,
    build,
    cli,
    dashboards: costs,
    goals,
  };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof BenchInputError ? 2 : 1);
});
