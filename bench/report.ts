/**
 * The benchmark's tables, made from one run's `bench/results.json`: the README and docs/benchmark.md carry them as
 * generated blocks (`npm run docs` rewrites them after `npm run bench`), so every figure on both pages is of one run.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsPath = join(dirname(fileURLToPath(import.meta.url)), 'results.json');

interface Drawn {
  samples: number;
  querySeconds: number;
  largestPanel: { panel: string; series: number };
}

interface Results {
  commonRangeSeconds: number;
  panelSeriesBound: number;
  mimirDefaults: Record<string, number>;
  dashboards: Array<{
    dashboard: string; source: string; reads: string; shape: string; objects: number; opening: Drawn;
    everyRowOpen: Drawn;
  }>;
  worst: Array<{
    dashboard: string; reads: string; opening: number; openingShape: string; everyRowOpen: number;
    everyRowOpenShape: string;
  }>;
  growth: Array<{
    dashboard: string; source: string; reads: string;
    samples: Array<{ scrapeInterval: number; opening: number; everyRowOpen: number }>;
  }>;
  atLargest: Array<{
    dashboard: string; reads: string; shape: string; objects: number; prometheusMemory: string;
    querySeconds: { opening: number; everyRowOpen: number };
    mostFetched?: { series: number; chunks: number; panel: string };
    mostFetchedAt100kObjects?: { series: number; chunks: number };
  }>;
  atFleetScale: Array<{
    dashboard: string; reads: string; shape: string; largestMeasured: { panel: string; series: number };
    largestAt100k: { panel: string; series: number; growthExponent: number }; steepestExponent: number;
    fittedAt: string; prometheusMemory: string; querySeconds: { opening: number; everyRowOpen: number };
  }>;
  rules: Array<{ shape: string; objects: number; rules: number; samples: number; seriesAdded: number }>;
  objectToCluster: Array<{ reads: string; shape: string; opening: number }>;
  goals: Record<string, boolean>;
}

const results = (): Results => JSON.parse(readFileSync(resultsPath, 'utf8')) as Results;

const table = (header: string[], rows: Array<Array<string | number>>) =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (ratio: number) => `${ratio.toFixed(2)}×`;
const seconds = (value: number) => `${value.toFixed(2)} s`;
/** `flux-control-plane` → `control plane`, as the pages name the dashboards. */
const short = (uid: string) => uid.replace(/^flux-/, '').replace('-', ' ');

/** Each dashboard's worst ratio to the official one over the sweep, raw and recorded, opening and every row open. */
export function worstRatiosTable(): string {
  const rows = results().worst.map((w) => [
    short(w.dashboard), w.reads, `**${times(w.opening)}** (${w.openingShape})`,
    `**${times(w.everyRowOpen)}** (${w.everyRowOpenShape})`,
  ]);
  return table(['dashboard', 'reads', 'opening: worst × official (at)', 'every row open, 1 h: worst (at)'], rows);
}

/** Every shape of the sweep: samples of ours beside the official dashboard's. */
export function sweepTable(): string {
  const { dashboards } = results();
  const official = dashboards.filter((c) => c.source === 'official');
  const rows = official.map((theirs) => {
    const ours = (reads: string) =>
      dashboards.find((c) => c.source === 'ours' && c.reads === reads && c.dashboard === theirs.dashboard &&
        c.shape === theirs.shape)!;
    const drawn = (reads: string) => {
      const mine = ours(reads);
      return [
        `${count(mine.opening.samples)} (${times(mine.opening.samples / theirs.opening.samples)})`,
        `${count(mine.everyRowOpen.samples)} (${times(mine.everyRowOpen.samples / theirs.everyRowOpen.samples)})`,
      ];
    };
    return [
      theirs.shape, count(theirs.objects), short(theirs.dashboard),
      `${count(theirs.opening.samples)}, ${count(theirs.everyRowOpen.samples)}`, ...drawn('raw'), ...drawn('recorded'),
    ];
  });
  return table([
    'shape', 'objects', 'dashboard', 'official: opening, every row open', 'ours raw: opening (×)', 'every row open (×)',
    'ours recorded: opening (×)', 'every row open (×)',
  ], rows);
}

/** Every panel at 100 clusters × 1,000 objects, and what Prometheus spent drawing each dashboard. */
export function boundTable(): string {
  const run = results();
  const rows = run.atFleetScale.map((b) => {
    const largest = run.atLargest.find((l) => l.dashboard === b.dashboard && l.reads === b.reads);
    return [
      short(b.dashboard), b.reads, `${b.largestMeasured.series} (${b.largestMeasured.panel})`,
      `${count(b.largestAt100k.series)} (${b.largestAt100k.panel}, e = ${b.largestAt100k.growthExponent.toFixed(2)})`,
      b.steepestExponent.toFixed(2),
      largest ? `${largest.prometheusMemory}, ${seconds(largest.querySeconds.opening)}, ` +
        `${seconds(largest.querySeconds.everyRowOpen)}` : '',
      largest?.mostFetchedAt100kObjects && largest.mostFetched
        ? `${count(largest.mostFetchedAt100kObjects.series)}, ${count(largest.mostFetchedAt100kObjects.chunks)} ` +
          `(${largest.mostFetched.panel})`
        : '',
    ];
  });
  return table([
    'dashboard', 'reads', `largest panel at ${run.atFleetScale[0]?.shape ?? '100 clusters'}: series`,
    'at 100 clusters × 1,000 objects (growth exponent)', 'steepest panel exponent',
    `at ${run.atLargest[0]?.shape ?? 'the largest fleet'}: Prometheus memory, query time opening, every row open`,
    'most fetched by one query at 100,000 objects: series, chunks at the shortest scrape interval',
  ], rows);
}

/** Samples ∝ objects^e, per scrape interval. */
export function growthTable(): string {
  const rows = results().growth.map((g) => [
    short(g.dashboard), g.source, g.reads,
    g.samples.map((s) => `${s.scrapeInterval} s: ${s.opening.toFixed(2)} / ${s.everyRowOpen.toFixed(2)}`).join('; '),
  ]);
  const header = ['dashboard', 'source', 'reads', 'samples exponent by scrape interval (opening / every row open)'];
  return table(header, rows);
}

/** One evaluation of every recording rule, per shape. */
export function rulesTable(): string {
  const rows = results().rules.map((r) => [
    `${r.shape} (${count(r.objects)} objects)`, r.rules, count(r.samples), count(r.seriesAdded),
  ]);
  return table(['shape', 'rules', 'samples per evaluation', 'series added'], rows);
}

/** The object dashboard's opening over Flux Cluster Stats', per shape, raw. */
export function objectShareTable(): string {
  const rows = results().objectToCluster.filter((r) => r.reads === 'raw').map((r) => [
    r.shape, `${(r.opening * 100).toFixed(2)} %`,
  ]);
  return table(['shape', 'object dashboard opening / cluster dashboard opening'], rows);
}

/** Each goal the bench judges, met or not. */
export function goalsList(): string {
  return Object.entries(results().goals).map(([goal, met]) => `- \`${goal}\`: ${met ? 'met' : '**not met**'}`)
    .join('\n');
}
