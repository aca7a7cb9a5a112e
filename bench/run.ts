/**
 * `npm run bench`: how long a full build takes in-process, and what each dashboard costs Prometheus (samples touched,
 * query time) on fleets of 1 cluster × 100 objects, 10 × 1,000 and 15 × 1,000, beside the official Flux dashboard of
 * the same uid: on opening (its own default range, collapsed rows closed) and with every row open on one common range,
 * read from the raw series and from recorded series; and what one evaluation of every recording rule costs. Prints a
 * table and writes bench/results.json. `BENCH_FLEETS=1x100,2x500` picks other fleets (clusters × objects per cluster).
 * The official dashboards are read from bench/official/ (or the folder FLUX_OFFICIAL_DASHBOARDS names). The package is
 * used through its entry points, as a user would; the fleet comes from fixtures/. `npm run bench -- cli` runs only
 * the command-line comparison (bench/cli.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { recordingGroups, recordingRules } from 'flux-dashboards/alerts';
import { renderArtifacts } from 'flux-dashboards/build';
import { resolveConfig, type Config } from 'flux-dashboards/config';
import { buildDashboards, type DashboardJson } from 'flux-dashboards/dashboards';
import { dashboardIdentities } from 'flux-dashboards/model';
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
import { benchInspect, printInspectBench } from './inspect';

/** Bad input (an environment variable), told in one line. */
class BenchInputError extends Error {}

const here = dirname(fileURLToPath(import.meta.url));
const officialFiles = ['control-plane.json', 'cluster.json'];
/** Every row open is drawn over the same hour for every dashboard, ours and the official ones. */
const commonRangeSeconds = 3600;
const buildRuns = 21;

interface FleetSize {
  clusters: number;
  objectsPerCluster: number;
}

function fleetSizes(): FleetSize[] {
  const text = process.env.BENCH_FLEETS ?? '1x100,10x1000,15x1000';
  return text.split(',').map((size) => {
    const match = /^(\d+)x(\d+)$/.exec(size.trim());
    const fix = 'give clusters x objects per cluster, e.g. 10x1000';
    if (!match) throw new BenchInputError(`BENCH_FLEETS: "${size}" is not a fleet size: ${fix}`);
    return { clusters: Number(match[1]), objectsPerCluster: Number(match[2]) };
  });
}

const variants: Array<{ name: string; config: Config }> = [
  { name: 'raw', config: resolveConfig({}) },
  { name: 'recorded', config: resolveConfig({ recordingRules: true }) },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timeBuild(): { medianMs: number; runs: number; files: number } {
  let files = renderArtifacts(variants[0]!.config).size;
  const times: number[] = [];
  for (let run = 0; run < buildRuns; run++) {
    const started = performance.now();
    files = renderArtifacts(variants[0]!.config).size;
    times.push(performance.now() - started);
  }
  return { medianMs: median(times), runs: buildRuns, files };
}

interface DrawCost {
  rangeSeconds: number;
  targets: number;
  samples: number;
  querySeconds: number;
}

interface DashboardCost {
  dashboard: string;
  source: 'ours' | 'official';
  /** Raw or recorded series (the official dashboards read raw series). */
  reads: 'raw' | 'recorded';
  clusters: number;
  objects: number;
  /** What Grafana queries on opening, over the dashboard's own default range: collapsed rows wait to be opened. */
  opening: DrawCost;
  /** Every panel, each collapsed row opened, over the common range. */
  everyRowOpen: DrawCost;
}

const durationUnits: Record<string, number> = { m: 60, h: 3600, d: 86_400 };

/** The dashboard's default range in seconds, from its `time.from` (`now-1h`). */
function defaultRangeSeconds(dashboard: DashboardLike): number {
  const from = (dashboard as { time?: { from?: string } }).time?.from ?? '';
  const match = /^now-(\d+)([mhd])$/.exec(from);
  if (!match) throw new Error(`${dashboard.uid}: default time range "${from}" is not now-<n>m|h|d`);
  return Number(match[1]) * durationUnits[match[2]!]!;
}

async function draw(
  dashboard: DashboardLike,
  prometheus: PrometheusServer,
  end: number,
  rangeSeconds: number,
  which: Draw,
): Promise<DrawCost> {
  const range: TimeRange = { from: end - rangeSeconds, to: end };
  const variables = await resolveVariables(dashboard, prometheus, range);
  const targets = prometheusTargets(dashboard, which);
  const cost: DrawCost = { rangeSeconds, targets: targets.length, samples: 0, querySeconds: 0 };
  for (const target of targets) {
    const run = await runTarget(prometheus, target, variables, range, defaultFleetOptions.scrapeInterval);
    cost.samples += run.samples;
    cost.querySeconds += run.seconds;
  }
  return cost;
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

const withPrometheus = (dashboards: DashboardJson[]) =>
  dashboards.filter((dashboard) => prometheusTargets(dashboard).length > 0);

/** Samples and time of one evaluation of every recording rule at the fleet's end. */
async function ruleEvaluationCost(prometheus: PrometheusServer, end: number) {
  let samples = 0;
  let querySeconds = 0;
  const rules = recordingRules(variants[1]!.config);
  for (const rule of rules) {
    const started = performance.now();
    const result = await prometheus.query(rule.expr, end, true);
    querySeconds += (performance.now() - started) / 1000;
    samples += result.stats?.samples?.totalQueryableSamples ?? 0;
  }
  return { rules: rules.length, samples, querySeconds };
}

/** The least-squares slope of ln(samples) over ln(objects): 1 grows as fast as the objects, 0 not at all. */
function exponent(points: Array<{ objects: number; samples: number }>): number {
  const xs = points.map((point) => Math.log(point.objects));
  const ys = points.map((point) => Math.log(Math.max(point.samples, 1)));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const [mx, my] = [mean(xs), mean(ys)];
  const covariance = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0);
  const variance = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return variance === 0 ? 0 : covariance / variance;
}

const resultsPath = join(here, 'results.json');

/** `npm run bench -- cli`: only the command-line comparison, merged into the results of the last full run. */
async function onlyCli(): Promise<void> {
  const cli = await benchCli();
  printCliBench(cli);
  const previous = existsSync(resultsPath)
    ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>)
    : {};
  writeFileSync(resultsPath, `${JSON.stringify({ ...previous, cli }, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

/** `npm run bench -- inspect`: only the init and doctor timings, merged into the results of the last full run. */
async function onlyInspect(): Promise<void> {
  const inspect = await benchInspect();
  printInspectBench(inspect);
  const previous = existsSync(resultsPath)
    ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>)
    : {};
  writeFileSync(resultsPath, `${JSON.stringify({ ...previous, inspect }, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'cli') return onlyCli();
  if (process.argv[2] === 'inspect') return onlyInspect();
  const cli = await benchCli();
  printCliBench(cli);
  const sizes = fleetSizes();
  const official = officialDashboards();
  const build = timeBuild();
  const buildMs = build.medianMs.toFixed(1);
  console.log(`full build in-process (renderArtifacts, ${build.files} files): median ${buildMs} ms of ${build.runs}`);

  const ours = variants.map((variant) => ({ ...variant, dashboards: withPrometheus(buildDashboards(variant.config)) }));
  const everyDashboard = [...official, ...ours.flatMap((variant) => variant.dashboards)];
  const longest = Math.max(commonRangeSeconds, ...everyDashboard.map(defaultRangeSeconds));
  const rules = stringify({ groups: recordingGroups(variants[1]!.config) });
  const end = fleetEnd();
  const costs: DashboardCost[] = [];
  const ruleCosts: Array<{ clusters: number; objects: number } & Awaited<ReturnType<typeof ruleEvaluationCost>>> = [];
  // One fleet at a time: the large ones need the memory to themselves.
  for (const size of sizes) {
    const started = performance.now();
    const served = await serveFleets([
      {
        ...defaultFleetOptions,
        end,
        // The longest range drawn, and a quarter hour before it for the first rate windows.
        duration: longest + 900,
        clusters: size.clusters,
        objectsPerKind: objectsPerKindFor(size.objectsPerCluster * size.clusters, size.clusters),
        recordingRules: rules,
        byCluster: size.clusters * size.objectsPerCluster > 2_000,
      },
    ]);
    try {
      const { fleet, prometheus } = served.fleets[0]!;
      const objects = liveObjects(fleet).length;
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`fleet ${size.clusters} × ${size.objectsPerCluster}: ${objects} objects served in ${seconds} s`);
      type Source = DashboardCost['source'];
      const cost = async (dashboard: DashboardLike, source: Source, reads: DashboardCost['reads']) => ({
        dashboard: dashboard.uid,
        source,
        reads,
        clusters: size.clusters,
        objects,
        opening: await draw(dashboard, prometheus, end, defaultRangeSeconds(dashboard), 'first'),
        everyRowOpen: await draw(dashboard, prometheus, end, commonRangeSeconds, 'expanded'),
      });
      for (const dashboard of ours[0]!.dashboards) {
        for (const variant of ours) {
          const own = variant.dashboards.find((candidate) => candidate.uid === dashboard.uid)!;
          costs.push(await cost(own, 'ours', variant.config.recordingRules ? 'recorded' : 'raw'));
        }
        const theirs = official.find((candidate) => candidate.uid === dashboard.uid);
        if (theirs) costs.push(await cost(theirs, 'official', 'raw'));
      }
      ruleCosts.push({ clusters: size.clusters, objects, ...(await ruleEvaluationCost(prometheus, end)) });
    } finally {
      await served.stop();
    }
  }

  const columns = [
    'dashboard',
    'source',
    'reads',
    'objects',
    'open: range',
    'targets',
    'samples',
    'query s',
    'all rows: targets',
    'samples',
    'query s',
  ];
  const common = `${commonRangeSeconds / 3600} h`;
  console.log(`\nopening: each dashboard's default range, collapsed rows closed | every row open: ${common}`);
  console.log(columns.map((h) => h.padEnd(14)).join(''));
  for (const c of costs) {
    const drawn = (d: DrawCost) => [d.targets, d.samples, d.querySeconds.toFixed(3)];
    const opening = `${c.opening.rangeSeconds / 60}m`;
    const row = [c.dashboard, c.source, c.reads, c.objects, opening, ...drawn(c.opening), ...drawn(c.everyRowOpen)];
    console.log(row.map((v) => String(v).padEnd(14)).join(''));
  }
  console.log('\nrecording rules, one evaluation at the fleet end');
  for (const r of ruleCosts) {
    console.log(`${r.objects} objects: ${r.rules} rules, ${r.samples} samples, ${r.querySeconds.toFixed(3)} s`);
  }

  const officialOf = (c: DashboardCost) =>
    costs.find((o) => o.source === 'official' && o.dashboard === c.dashboard && o.objects === c.objects);
  const oursCosts = costs.filter((c) => c.source === 'ours');
  const ratios = oursCosts
    .filter((c) => officialOf(c))
    .map((c) => {
      const theirs = officialOf(c)!;
      return {
        dashboard: c.dashboard,
        reads: c.reads,
        objects: c.objects,
        opening: c.opening.samples / theirs.opening.samples,
        everyRowOpen: c.everyRowOpen.samples / theirs.everyRowOpen.samples,
      };
    });
  // One object costs a small share of the whole cluster: the object dashboard beside Flux Cluster Stats, same fleet.
  const objectToCluster = oursCosts
    .filter((c) => c.dashboard === dashboardIdentities.object.uid)
    .map((c) => {
      const sameFleet = (o: DashboardCost) => o.objects === c.objects && o.reads === c.reads;
      const cluster = oursCosts.find((o) => o.dashboard === dashboardIdentities.cluster.uid && sameFleet(o))!;
      return { reads: c.reads, objects: c.objects, opening: c.opening.samples / cluster.opening.samples };
    });
  const growth = [...new Set(costs.map((c) => `${c.dashboard}|${c.source}|${c.reads}`))].map((key) => {
    const series = costs.filter((c) => `${c.dashboard}|${c.source}|${c.reads}` === key);
    const [dashboard, source, reads] = key.split('|');
    return {
      dashboard,
      source,
      reads,
      opening: exponent(series.map((c) => ({ objects: c.objects, samples: c.opening.samples }))),
      everyRowOpen: exponent(series.map((c) => ({ objects: c.objects, samples: c.everyRowOpen.samples }))),
    };
  });
  const goals = {
    buildUnder100ms: build.medianMs < 100,
    openingAtMostOfficial: ratios.every((r) => r.opening <= 1),
    everyRowOpenAtMostOfficialWithRecordingRules: ratios
      .filter((r) => r.reads === 'recorded')
      .every((r) => r.everyRowOpen <= 1),
    objectOpeningAtMost5PercentOfCluster: objectToCluster.every((r) => r.opening <= 0.05),
    samplesGrowNoFasterThanObjects: growth
      .filter((g) => g.source === 'ours')
      .every((g) => g.opening <= 1 && g.everyRowOpen <= 1),
  };
  console.log('\nratios to the official dashboard', JSON.stringify(ratios, null, 2));
  console.log('\nobject dashboard to cluster dashboard, opening', JSON.stringify(objectToCluster, null, 2));
  console.log('\nexponents (samples ∝ objects^e)', JSON.stringify(growth, null, 2));
  console.log('\ngoals', JSON.stringify(goals, null, 2));
  const inspect = await benchInspect();
  printInspectBench(inspect);
  const results = {
    prometheus: '2.42 (promtool backfill)',
    scrapeIntervalSeconds: defaultFleetOptions.scrapeInterval,
    commonRangeSeconds,
    build,
    cli,
    inspect,
    dashboards: costs,
    recordingRules: ruleCosts,
    ratios,
    objectToCluster,
    growth,
    goals,
  };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof BenchInputError ? 2 : 1);
});
