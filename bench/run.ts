/**
 * `npm run bench`: how long a full build takes in-process, and what each dashboard costs Prometheus (samples touched,
 * query time, series returned per panel, series and chunks fetched per query) over a sweep of fleet shapes
 * (bench/shapes.ts), beside the official Flux dashboard of the same uid: on opening (its own default range, collapsed
 * rows closed) and with every row open on one common range, read from the raw series and from recorded series; and
 * what one evaluation of every recording rule costs and adds. Prints tables and writes bench/results.json; reports the
 * worst ratio over the sweep. `BENCH_SHAPES=60:20:14:1000,…` picks other shapes. The official dashboards are read
 * from bench/official/ (or the folder FLUX_OFFICIAL_DASHBOARDS names). The package is used through its entry points,
 * as a user would; the fleet comes from fixtures/. `npm run bench -- cli`, `-- inspect` and `-- dashboards` run one
 * part only, merged into the last results.
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
import { boundOf } from 'flux-dashboards/queries';
import { parser } from '@prometheus-io/lezer-promql';
import { defaultFleetOptions, fleetEnd, liveObjects } from '../fixtures/fleet/fleet';
import {
  prometheusTargets,
  resolveVariables,
  runTarget,
  type DashboardLike,
  type Draw,
  type TargetRun,
  type TimeRange,
  type VariableValues,
} from '../fixtures/fleet/grafana';
import { serveFleets } from '../fixtures/fleet/serve';
import type { PrometheusServer } from '../fixtures/prometheus';
import { benchCli, printCliBench } from './cli';
import { benchInspect, printInspectBench } from './inspect';
import { BenchInputError, shapeName, shapeOptions, shapesToRun, type Shape } from './shapes';

const here = dirname(fileURLToPath(import.meta.url));
const officialFiles = ['control-plane.json', 'cluster.json'];
/** Every row open is drawn over the same hour for every dashboard, ours and the official ones. */
const commonRangeSeconds = 3600;
const buildRuns = 21;
/** No panel of ours may return more series or table rows than this at 100 clusters × 1,000 objects. */
export const panelSeriesBound = 1000;
/** The fleet the bound is extrapolated to. */
const targetObjects = 100_000;
/** Mimir's default per-query limits (grafana/mimir pkg/util/validation/limits.go; 0 disables a limit). */
const mimirDefaults = {
  'querier.max-fetched-chunks-per-query': 2_000_000,
  'querier.max-fetched-series-per-query': 0,
};
/** Samples a Prometheus chunk holds at most, for the estimate of chunks fetched. */
const samplesPerChunk = 120;

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

/** What one query fetched: Mimir limits the series and chunks a query may fetch. */
interface Fetched {
  series: number;
  chunks: number;
}

interface PanelCost {
  panel: string;
  /** Series (rows of a table) its queries return, added up. */
  series: number;
}

interface DrawCost {
  rangeSeconds: number;
  targets: number;
  samples: number;
  querySeconds: number;
  /** The panel returning most series, and the sum over every panel. */
  largestPanel: PanelCost;
  seriesReturned: number;
  /** Series (or table rows) each panel returned, by `title (type)`. */
  panels: Record<string, number>;
  /** Most rows each table listing `topk(k, …)` can return: `k` and its row counting the rest. */
  tableBounds: Record<string, number>;
  /** The query fetching most series and chunks (counted on the largest fleets only). */
  mostFetched?: Fetched & { panel: string };
  /** Each target's samples and series, with `npm run bench -- targets`. */
  perTarget?: Array<{ panel: string; refId: string; samples: number; series: number }>;
}

/** `npm run bench -- targets`: the dashboard sweep with each target's cost printed, nothing written. */
const listTargets = process.argv[2] === 'targets';

interface DashboardCost {
  dashboard: string;
  source: 'ours' | 'official';
  /** Raw or recorded series (the official dashboards read raw series). */
  reads: 'raw' | 'recorded';
  shape: string;
  scrapeInterval: number;
  clusters: number;
  controllers: number;
  objects: number;
  /** What Grafana queries on opening, over the dashboard's own default range: collapsed rows wait to be opened. */
  opening: DrawCost;
  /** Every panel, each collapsed row opened, over the common range. */
  everyRowOpen: DrawCost;
  /** Prometheus' resident memory after drawing the dashboard both ways, bytes. */
  prometheusMemoryBytes: number;
}

const durationUnits: Record<string, number> = { m: 60, h: 3600, d: 86_400 };

/** The dashboard's default range in seconds, from its `time.from` (`now-1h`). */
function defaultRangeSeconds(dashboard: DashboardLike): number {
  const from = (dashboard as { time?: { from?: string } }).time?.from ?? '';
  const match = /^now-(\d+)([mhd])$/.exec(from);
  if (!match) throw new Error(`${dashboard.uid}: default time range "${from}" is not now-<n>m|h|d`);
  return Number(match[1]) * durationUnits[match[2]!]!;
}

/** The parts of an expression pinned to the range's end (`last_over_time((…)[…] @ end())`), as written. */
function pinnedToEnd(expr: string): string[] {
  const parts: string[] = [];
  for (let from = expr.indexOf('last_over_time('); from >= 0; from = expr.indexOf('last_over_time(', from + 1)) {
    let depth = 0;
    let to = from + 'last_over_time'.length;
    for (; to < expr.length; to++) {
      if (expr[to] === '(') depth++;
      else if (expr[to] === ')' && --depth === 0) break;
    }
    const part = expr.slice(from, to + 1);
    if (part.endsWith('@ end())')) parts.push(part);
  }
  return parts;
}

/**
 * The samples a range query read, with its parts pinned to the range's end counted once: Prometheus evaluates such a
 * step-invariant part once but adds its samples at every step of the range (promql/engine.go, `StepInvariantExpr`).
 */
async function samplesRead(prometheus: PrometheusServer, run: TargetRun, range: TimeRange): Promise<number> {
  if (run.step === undefined) return run.samples;
  const steps = Math.floor((range.to - range.from) / run.step) + 1;
  let samples = run.samples;
  for (const part of pinnedToEnd(run.expr)) {
    const once = (await prometheus.query(part, range.to, true)).stats?.samples?.totalQueryableSamples ?? 0;
    samples -= (steps - 1) * once;
  }
  return samples;
}

/** The series selectors of a PromQL expression, as written. */
function selectorsOf(expr: string): string[] {
  const selectors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== 'VectorSelector') return undefined;
      selectors.push(expr.slice(node.from, node.to));
      return false;
    },
  });
  return selectors;
}

/**
 * Series and chunks a query fetches over the range and its longest window (15 minutes covers every rate window): each
 * selector's series, and their samples in chunks of at most 120. Asked once per selector and range.
 */
async function fetchedBy(
  prometheus: PrometheusServer, expr: string, range: TimeRange, cache: Map<string, Fetched>,
): Promise<Fetched> {
  const total: Fetched = { series: 0, chunks: 0 };
  const window = `${range.to - range.from + 900}s`;
  for (const selector of selectorsOf(expr)) {
    const key = `${selector}|${window}|${range.to}`;
    let fetched = cache.get(key);
    if (!fetched) {
      const counts = `count_over_time(${selector}[${window}])`;
      const [series, chunks] = await Promise.all([
        prometheus.query(`count(${counts})`, range.to),
        prometheus.query(`sum(ceil(${counts} / ${samplesPerChunk}))`, range.to),
      ]);
      const value = (result: typeof series) => Number(result.result[0]?.value?.[1] ?? 0);
      fetched = { series: value(series), chunks: value(chunks) };
      cache.set(key, fetched);
    }
    total.series += fetched.series;
    total.chunks += fetched.chunks;
  }
  return total;
}

interface DrawContext {
  prometheus: PrometheusServer;
  end: number;
  scrapeInterval: number;
  /** Count what each query fetches (dear on a large fleet: done where the limits matter). */
  countFetched: boolean;
  fetchedCache: Map<string, Fetched>;
}

async function draw(
  dashboard: DashboardLike, context: DrawContext, rangeSeconds: number, which: Draw,
): Promise<DrawCost> {
  const { prometheus, end } = context;
  const range: TimeRange = { from: end - rangeSeconds, to: end };
  const variables: VariableValues = await resolveVariables(dashboard, prometheus, range);
  const targets = prometheusTargets(dashboard, which);
  const cost: DrawCost = {
    rangeSeconds,
    targets: targets.length,
    samples: 0,
    querySeconds: 0,
    largestPanel: { panel: '', series: 0 },
    seriesReturned: 0,
    panels: {},
    tableBounds: {},
  };
  const perPanel = new Map<string, number>();
  for (const target of targets) {
    const run = await runTarget(prometheus, target, variables, range, context.scrapeInterval);
    const samples = await samplesRead(prometheus, run, range);
    cost.samples += samples;
    cost.querySeconds += run.seconds;
    cost.seriesReturned += run.series.length;
    const panel = `${target.panelTitle} (${target.panelType})`;
    // An instant query's topk is a strict bound: a table takes at most its largest k, and a row for the rest.
    const k = target.table ? boundOf(target.expr) : undefined;
    if (k !== undefined) cost.tableBounds[panel] = Math.max(cost.tableBounds[panel] ?? 0, k + 1);
    // A table merges its queries' rows (each object once); a time series draws every series of every query.
    const before = perPanel.get(panel) ?? 0;
    perPanel.set(panel, target.table ? Math.max(before, run.series.length) : before + run.series.length);
    if (listTargets) {
      (cost.perTarget ??= []).push({ panel, refId: target.refId, samples, series: run.series.length });
    }
    if (context.countFetched) {
      const fetched = await fetchedBy(prometheus, run.expr, range, context.fetchedCache);
      const most = cost.mostFetched;
      if (!most || fetched.chunks > most.chunks) cost.mostFetched = { ...fetched, panel };
    }
  }
  for (const [panel, series] of perPanel) {
    if (series > cost.largestPanel.series) cost.largestPanel = { panel, series };
  }
  cost.panels = Object.fromEntries(perPanel);
  return cost;
}

/** Prometheus' resident memory, from its own metrics. */
async function prometheusMemory(prometheus: PrometheusServer): Promise<number> {
  const text = await (await fetch(`${prometheus.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('process_resident_memory_bytes '));
  return Number(line?.split(' ')[1] ?? 0);
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

/** One evaluation of every recording rule at the fleet's end: samples read, series written, time. */
async function ruleEvaluationCost(prometheus: PrometheusServer, end: number) {
  let samples = 0;
  let seriesAdded = 0;
  let querySeconds = 0;
  const rules = recordingRules(variants[1]!.config);
  for (const rule of rules) {
    const started = performance.now();
    const result = await prometheus.query(rule.expr, end, true);
    querySeconds += (performance.now() - started) / 1000;
    samples += result.stats?.samples?.totalQueryableSamples ?? 0;
    seriesAdded += result.result.length;
  }
  return { rules: rules.length, samples, seriesAdded, querySeconds };
}

/** The least-squares slope of ln(y) over ln(x): 1 grows as fast as x, 0 not at all. */
function exponent(points: Array<{ x: number; y: number }>): number {
  const xs = points.map((point) => Math.log(point.x));
  const ys = points.map((point) => Math.log(Math.max(point.y, 1)));
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

type RuleCost = { shape: string; objects: number } & Awaited<ReturnType<typeof ruleEvaluationCost>>;

type SweepProgress = (costs: DashboardCost[], ruleCosts: RuleCost[]) => void;

/** Draws every dashboard, ours (raw and recorded) and the official ones, on each shape's fleet. */
async function sweepDashboards(shapes: Shape[], progress: SweepProgress = () => undefined) {
  const official = officialDashboards();
  const ours = variants.map((variant) => ({ ...variant, dashboards: withPrometheus(buildDashboards(variant.config)) }));
  const everyDashboard = [...official, ...ours.flatMap((variant) => variant.dashboards)];
  const longest = Math.max(commonRangeSeconds, ...everyDashboard.map(defaultRangeSeconds));
  const rules = stringify({ groups: recordingGroups(variants[1]!.config) });
  const end = fleetEnd();
  const costs: DashboardCost[] = [];
  const ruleCosts: RuleCost[] = [];
  const largestObjects = Math.max(...shapes.map((shape) => shape.clusters * shape.objectsPerCluster));
  // One fleet at a time: the large ones need the memory to themselves.
  for (const shape of shapes) {
    const started = performance.now();
    const options = shapeOptions(shape);
    const served = await serveFleets([
      {
        ...defaultFleetOptions,
        ...options,
        end,
        // The longest range drawn, and a quarter hour before it for the first rate windows.
        duration: longest + 900,
        recordingRules: rules,
        byCluster: shape.clusters * shape.objectsPerCluster > 2_000,
      },
    ]);
    try {
      const { fleet, prometheus, written } = served.fleets[0]!;
      const objects = liveObjects(fleet).length;
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`fleet ${shapeName(shape)}: ${objects} objects, ${written.series} series, served in ${seconds} s`);
      const context: DrawContext = {
        prometheus,
        end,
        scrapeInterval: shape.scrapeInterval,
        countFetched: shape.clusters * shape.objectsPerCluster === largestObjects,
        fetchedCache: new Map(),
      };
      type Source = DashboardCost['source'];
      const cost = async (dashboard: DashboardLike, source: Source, reads: DashboardCost['reads']) => ({
        dashboard: dashboard.uid,
        source,
        reads,
        shape: shapeName(shape),
        scrapeInterval: shape.scrapeInterval,
        clusters: shape.clusters,
        controllers: shape.controllers,
        objects,
        opening: await draw(dashboard, context, defaultRangeSeconds(dashboard), 'first'),
        everyRowOpen: await draw(dashboard, context, commonRangeSeconds, 'expanded'),
        prometheusMemoryBytes: await prometheusMemory(prometheus),
      });
      for (const dashboard of ours[0]!.dashboards) {
        for (const variant of ours) {
          const own = variant.dashboards.find((candidate) => candidate.uid === dashboard.uid)!;
          costs.push(await cost(own, 'ours', variant.config.recordingRules ? 'recorded' : 'raw'));
        }
        const theirs = official.find((candidate) => candidate.uid === dashboard.uid);
        if (theirs) costs.push(await cost(theirs, 'official', 'raw'));
      }
      ruleCosts.push({ shape: shapeName(shape), objects, ...(await ruleEvaluationCost(prometheus, end)) });
      progress(costs, ruleCosts);
    } finally {
      // A Prometheus still writing its last block as it stops may leave the folder behind: no reason to lose the run.
      await served.stop().catch((error: unknown) => console.error(`cleaning up after ${shapeName(shape)}: ${error}`));
    }
  }
  return { costs, ruleCosts };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Chunks of at most 120 samples a series holds over the common range and a quarter hour, at the shortest interval. */
const chunksPerSeries = (costs: DashboardCost[]) =>
  Math.ceil((commonRangeSeconds + 900) / Math.min(...costs.map((c) => c.scrapeInterval)) / samplesPerChunk);

/** The fleet the bound is judged at: 100 clusters of 1,000 objects. */
const targetClusters = 100;
const targetObjectsPerCluster = targetObjects / targetClusters;

/**
 * Every panel at 100 clusters × 1,000 objects, with the cluster variable on All. Per-cluster series (controllers,
 * queues, kinds, pods) are measured on the sweep's fleet of the most clusters; what grows with the objects of each
 * cluster (the object tables) is extrapolated from there with each panel's own growth exponent in objects per
 * cluster, fitted between fleets that differ in nothing else (scrape interval, controllers and clusters alike), and
 * capped where a table's `topk` caps it.
 */
function boundAtFleetScale(oursCosts: DashboardCost[]) {
  const perCluster = (c: DashboardCost) => Math.round(c.objects / c.clusters);
  const mostClusters = Math.max(...oursCosts.map((c) => c.clusters));
  const alike = (a: DashboardCost, b: DashboardCost) =>
    a.scrapeInterval === b.scrapeInterval && a.controllers === b.controllers;
  const target = oursCosts.find((c) => c.clusters === mostClusters)!;
  // The most clusters at which fleets like the target's hold different numbers of objects per cluster.
  const fitClusters = [...new Set(oursCosts.filter((c) => alike(c, target)).map((c) => c.clusters))]
    .filter((clusters) => {
      const fleets = oursCosts.filter((c) => alike(c, target) && c.clusters === clusters);
      return new Set(fleets.map(perCluster)).size > 1;
    })
    .sort((a, b) => b - a)[0];
  return oursCosts
    .filter((c) => c.clusters === mostClusters)
    .map((c) => {
      const sameDraw = (o: DashboardCost) => o.dashboard === c.dashboard && o.reads === c.reads && alike(o, c);
      const fit = oursCosts.filter((o) => sameDraw(o) && o.clusters === fitClusters);
      const few = fit.filter((o) => perCluster(o) === Math.min(...fit.map(perCluster)));
      const many = fit.filter((o) => perCluster(o) === Math.max(...fit.map(perCluster)));
      const panels = Object.entries(c.everyRowOpen.panels).map(([panel, series]) => {
        // The panel's smallest count with few objects against its largest with many: the steepest growth measured.
        const low = Math.min(...few.map((o) => o.everyRowOpen.panels[panel] ?? 0));
        const high = Math.max(...many.map((o) => o.everyRowOpen.panels[panel] ?? 0));
        const e = fit.length < 2 || low === 0 ? 0 : Math.max(0, exponent([
          { x: perCluster(few[0]!), y: low },
          { x: perCluster(many[0]!), y: high },
        ]));
        const grown = Math.round(series * (targetObjectsPerCluster / perCluster(c)) ** e);
        const at100k = Math.min(grown, c.everyRowOpen.tableBounds?.[panel] ?? grown);
        return { panel, measured: series, growthExponent: e, at100k };
      });
      const largest = panels.reduce((a, b) => (b.at100k > a.at100k ? b : a), panels[0]!);
      return {
        dashboard: c.dashboard,
        reads: c.reads,
        shape: c.shape,
        largestMeasured: c.everyRowOpen.largestPanel,
        largestAt100k: { panel: largest.panel, series: largest.at100k, growthExponent: largest.growthExponent },
        steepestExponent: Math.max(...panels.map((p) => p.growthExponent)),
        fittedAt: fitClusters === undefined ? 'no pair' : `${fitClusters} clusters`,
        querySeconds: { opening: c.opening.querySeconds, everyRowOpen: c.everyRowOpen.querySeconds },
        prometheusMemory: mib(c.prometheusMemoryBytes),
      };
    });
}

/** The figures the goals are judged by: worst ratios, object/cluster share, growth, bounds at the largest fleet. */
function summarise(costs: DashboardCost[], ruleCosts: RuleCost[]) {
  const officialOf = (c: DashboardCost) =>
    costs.find((o) => o.source === 'official' && o.dashboard === c.dashboard && o.shape === c.shape);
  const oursCosts = costs.filter((c) => c.source === 'ours');
  const ratios = oursCosts
    .filter((c) => officialOf(c))
    .map((c) => {
      const theirs = officialOf(c)!;
      return {
        dashboard: c.dashboard,
        reads: c.reads,
        shape: c.shape,
        opening: c.opening.samples / theirs.opening.samples,
        everyRowOpen: c.everyRowOpen.samples / theirs.everyRowOpen.samples,
      };
    });
  const keys = [...new Set(ratios.map((r) => `${r.dashboard}|${r.reads}`))];
  const worst = keys.map((key) => {
    const mine = ratios.filter((r) => `${r.dashboard}|${r.reads}` === key);
    const at = (pick: (r: (typeof mine)[number]) => number) =>
      mine.reduce((best, r) => (pick(r) > pick(best) ? r : best));
    const opening = at((r) => r.opening);
    const everyRowOpen = at((r) => r.everyRowOpen);
    return {
      dashboard: opening.dashboard,
      reads: opening.reads,
      opening: opening.opening,
      openingShape: opening.shape,
      everyRowOpen: everyRowOpen.everyRowOpen,
      everyRowOpenShape: everyRowOpen.shape,
    };
  });
  // One object costs a small share of the whole cluster: the object dashboard beside Flux Cluster Stats, same fleet.
  const objectToCluster = oursCosts
    .filter((c) => c.dashboard === dashboardIdentities.object.uid)
    .map((c) => {
      const sameFleet = (o: DashboardCost) => o.shape === c.shape && o.reads === c.reads;
      const cluster = oursCosts.find((o) => o.dashboard === dashboardIdentities.cluster.uid && sameFleet(o))!;
      return { reads: c.reads, shape: c.shape, opening: c.opening.samples / cluster.opening.samples };
    });
  // Samples grow with the fleet at a fixed scrape interval; series returned do not depend on it.
  const groups = [...new Set(costs.map((c) => `${c.dashboard}|${c.source}|${c.reads}`))];
  const growth = groups.map((key) => {
    const series = costs.filter((c) => `${c.dashboard}|${c.source}|${c.reads}` === key);
    const [dashboard, source, reads] = key.split('|');
    const byScrape = [...new Set(series.map((c) => c.scrapeInterval))].map((scrape) => {
      const same = series.filter((c) => c.scrapeInterval === scrape);
      return {
        scrapeInterval: scrape,
        opening: exponent(same.map((c) => ({ x: c.objects, y: c.opening.samples }))),
        everyRowOpen: exponent(same.map((c) => ({ x: c.objects, y: c.everyRowOpen.samples }))),
      };
    });
    // Above 1,000 objects: where the tables' bounds have set in.
    const large = series.filter((c) => c.objects >= 1000);
    return {
      dashboard,
      source,
      reads,
      samples: byScrape,
      largestPanelSeries: exponent(large.map((c) => ({ x: c.objects, y: c.everyRowOpen.largestPanel.series }))),
    };
  });
  const largest = Math.max(...costs.map((c) => c.objects));
  const atLargest = oursCosts.filter((c) => c.objects === largest).map((c) => ({
    dashboard: c.dashboard,
    reads: c.reads,
    shape: c.shape,
    objects: c.objects,
    largestPanel: c.everyRowOpen.largestPanel,
    querySeconds: { opening: c.opening.querySeconds, everyRowOpen: c.everyRowOpen.querySeconds },
    prometheusMemory: mib(c.prometheusMemoryBytes),
    mostFetched: c.everyRowOpen.mostFetched,
    // At 100,000 objects, from the series a query fetched here, and their chunks at the sweep's shortest interval.
    mostFetchedAt100kObjects: c.everyRowOpen.mostFetched && {
      series: Math.round(c.everyRowOpen.mostFetched.series * (targetObjects / c.objects)),
      chunks: Math.round(c.everyRowOpen.mostFetched.series * (targetObjects / c.objects) * chunksPerSeries(costs)),
    },
  }));
  const atFleetScale = boundAtFleetScale(oursCosts);
  const chunkLimit = mimirDefaults['querier.max-fetched-chunks-per-query'];
  const goals = {
    openingAtMostOfficialRaw: worst.filter((w) => w.reads === 'raw').every((w) => w.opening <= 1),
    openingAtMostOfficialRecorded: worst.filter((w) => w.reads === 'recorded').every((w) => w.opening <= 1),
    everyRowOpenAtMostOfficialRaw: worst.filter((w) => w.reads === 'raw').every((w) => w.everyRowOpen <= 1),
    everyRowOpenAtMostOfficialRecorded: worst.filter((w) => w.reads === 'recorded').every((w) => w.everyRowOpen <= 1),
    objectOpeningAtMost5PercentOfCluster: objectToCluster.every((r) => r.opening <= 0.05),
    everyPanelWithinBoundAt100kObjects:
      atFleetScale.length > 0 && atFleetScale.every((b) => b.largestAt100k.series <= panelSeriesBound),
    // Fetched series grow with the fleet: scaled from the largest fleet to 100,000 objects, at most linearly.
    underMimirChunkLimitAt100kObjects: atLargest.every((b) => (b.mostFetchedAt100kObjects?.chunks ?? 0) <= chunkLimit),
  };
  return { ratios, worst, objectToCluster, growth, atLargest, atFleetScale, rules: ruleCosts, goals };
}

function printDashboards(costs: DashboardCost[], summary: ReturnType<typeof summarise>): void {
  const columns = [
    'dashboard', 'source', 'reads', 'shape', 'objects', 'open: range', 'targets', 'samples', 'query s',
    'all rows: targets', 'samples', 'query s', 'largest panel',
  ];
  const common = `${commonRangeSeconds / 3600} h`;
  console.log(`\nopening: each dashboard's default range, collapsed rows closed | every row open: ${common}`);
  console.log(columns.map((h) => h.padEnd(14)).join(''));
  for (const c of costs) {
    const drawn = (d: DrawCost) => [d.targets, d.samples, d.querySeconds.toFixed(3)];
    const opening = `${c.opening.rangeSeconds / 60}m`;
    const largest = `${c.everyRowOpen.largestPanel.series} ${c.everyRowOpen.largestPanel.panel}`;
    const drawnBoth = [...drawn(c.opening), ...drawn(c.everyRowOpen)];
    const row = [c.dashboard, c.source, c.reads, c.shape, c.objects, opening, ...drawnBoth, largest];
    console.log(row.map((v) => String(v).padEnd(14)).join(''));
  }
  for (const c of costs.filter(() => listTargets)) {
    console.log(`\n${c.dashboard} ${c.source} ${c.reads} ${c.shape}`);
    for (const [name, d] of [['opening', c.opening], ['every row open', c.everyRowOpen]] as const) {
      for (const t of d.perTarget ?? []) {
        console.log(`  ${name.padEnd(15)} ${String(t.samples).padStart(9)} ${t.series} ${t.panel} ${t.refId}`);
      }
    }
  }
  console.log('\nrecording rules, one evaluation at the fleet end');
  for (const r of summary.rules) {
    const time = r.querySeconds.toFixed(3);
    console.log(`${r.shape}: ${r.rules} rules, ${r.samples} samples, ${r.seriesAdded} series added, ${time} s`);
  }
  console.log('\nworst ratio to the official dashboard over the sweep', JSON.stringify(summary.worst, null, 2));
  console.log('\nobject dashboard to cluster dashboard, opening', JSON.stringify(summary.objectToCluster, null, 2));
  console.log('\nexponents (y ∝ objects^e)', JSON.stringify(summary.growth, null, 2));
  console.log('\nat the largest fleet', JSON.stringify(summary.atLargest, null, 2));
  console.log('\nat 100 clusters × 1,000 objects', JSON.stringify(summary.atFleetScale, null, 2));
  console.log('\nMimir defaults', JSON.stringify(mimirDefaults));
  console.log('\ngoals', JSON.stringify(summary.goals, null, 2));
}

function previousResults(): Record<string, unknown> {
  return existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {};
}

/** The dashboard sweep and its summary, as results.json keeps them. */
async function benchDashboards(progress?: SweepProgress) {
  const shapes = shapesToRun();
  const { costs, ruleCosts } = await sweepDashboards(shapes, progress);
  const summary = summarise(costs, ruleCosts);
  printDashboards(costs, summary);
  return {
    prometheus: '2.42 (promtool backfill)',
    shapes,
    commonRangeSeconds,
    panelSeriesBound,
    mimirDefaults,
    dashboards: costs,
    ...summary,
  };
}

/** `npm run bench -- dashboards`: only the dashboard sweep, merged into the results of the last full run. */
async function onlyDashboards(): Promise<void> {
  // Each finished shape is written at once: a long sweep cut short keeps what it measured.
  const shapes = shapesToRun();
  const dashboards = await benchDashboards((costs, ruleCosts) => {
    const done = new Set(costs.map((c) => c.shape)).size;
    const partial = { ...summarise(costs, ruleCosts), dashboards: costs, shapesDone: `${done} of ${shapes.length}` };
    writeFileSync(resultsPath, `${JSON.stringify({ ...previousResults(), ...partial }, null, 2)}\n`);
  });
  writeFileSync(resultsPath, `${JSON.stringify({ ...previousResults(), ...dashboards }, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'cli') return onlyCli();
  if (process.argv[2] === 'inspect') return onlyInspect();
  if (process.argv[2] === 'dashboards') return onlyDashboards();
  if (listTargets) return void (await benchDashboards());
  shapesToRun();
  const cli = await benchCli();
  printCliBench(cli);
  const build = timeBuild();
  const buildMs = build.medianMs.toFixed(1);
  console.log(`full build in-process (renderArtifacts, ${build.files} files): median ${buildMs} ms of ${build.runs}`);
  const dashboards = await benchDashboards();
  const inspect = await benchInspect();
  printInspectBench(inspect);
  const goals = { buildUnder100ms: build.medianMs < 100, ...dashboards.goals };
  const results = { build, cli, inspect, ...dashboards, goals };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof BenchInputError ? 2 : 1);
});
