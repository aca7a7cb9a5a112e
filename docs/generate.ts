/**
 * The docs' tables that list code, made from the code: each sits in its page between `<!-- generated NAME -->` and
 * `<!-- /generated NAME -->`. `npm run docs` rewrites them; test/docs/ fails while one differs from what this makes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertSet, alertsTable } from '../alerts';
import { defaultConfig, fluxReleases, resolveConfig, type ConfigInput, type FluxRelease } from '../config';
import { optionsTable } from '../config/options-table';
import { buildDashboards, panelTitles, type DashboardJson, type PanelJson } from '../dashboards';
import { causesTable, mismatchesTable } from '../inspect/causes';
import {
  catalogue, controllerMetricsSince, dashboardIdentities, fluxControllers, kindApisOf, kindsWithoutReadiness,
  legacyReadiness, targetLabels, type MetricDefinition, type MetricSource,
} from '../model';
import { includeMetrics } from '../packaging/k8s-monitoring';
import * as bench from '../bench/report';

export const repositoryRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface GeneratedBlock {
  /** The page, relative to the repository root. */
  page: string;
  name: string;
  render(): string;
}

/** What reads a metric's series, in the words the pages use. */
export const sourceNames: Record<MetricSource, string> = {
  'flux-controller': 'Flux controllers',
  'flux-resource-state': 'kube-state-metrics with the Flux configuration',
  'flux-operator': 'Flux Operator',
  'kube-state-metrics': 'kube-state-metrics',
  cadvisor: 'cAdvisor (kubelet)',
  'kubernetes-apiserver': 'Kubernetes API server',
  prometheus: 'Prometheus',
};

const cellText = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
const code = (text: string) => `\`${text}\``;
const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

const histogramSeries = /_(bucket|sum|count)$/;
/** The catalogue's metrics a query names, in the order it names them (a histogram by its own name). */
export function metricsIn(expression: string): string[] {
  const names = expression.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const known = names
    .map((name) => (name in catalogue ? name : name.replace(histogramSeries, '')))
    .filter((name) => name in catalogue);
  return [...new Set(known)];
}

interface PanelEntry {
  row: string;
  panel: PanelJson;
}

/** Every panel of a dashboard in layout order with the row it sits in, the panels of collapsed rows included. */
export function panelsOf(dashboard: DashboardJson): PanelEntry[] {
  let row = '';
  return dashboard.panels.flatMap((panel): PanelEntry[] => {
    if (panel.type !== 'row') return [{ row, panel }];
    row = String(panel.title ?? '');
    return (panel.panels ?? []).map((inner) => ({ row, panel: inner }));
  });
}

function reads(panel: PanelJson): string {
  const expressions = (panel.targets ?? []).map((target) => String(target.expr ?? ''));
  const datasource = JSON.stringify(panel.datasource ?? '');
  if (datasource.includes('loki')) return 'Loki: the controllers\' log lines';
  return [...new Set(expressions.flatMap(metricsIn))].map(code).join(', ');
}

/** The panels table of one dashboard built from `input`: title, type, row, what it shows, what it reads. */
export function panelsTable(uid: string, input: ConfigInput = {}): string {
  const dashboard = buildDashboards(resolveConfig(input)).find((candidate) => candidate.uid === uid);
  if (!dashboard) throw new Error(`no dashboard ${uid}`);
  const rows = panelsOf(dashboard).map(({ row, panel }) => [
    cellText(String(panel.title ?? '')),
    panel.type,
    cellText(row) || '(top)',
    cellText(String(panel.description ?? '')),
    reads(panel),
  ]);
  return table(['panel', 'type', 'row', 'what it shows', 'reads'], rows);
}

/** `2.4–2.5` for consecutive releases that serve the same API versions. */
function releaseColumns(): Array<{ title: string; release: FluxRelease }> {
  const signature = (release: FluxRelease) =>
    JSON.stringify(kindApisOf(release).map(({ kind, group, version }) => [kind, group, version]));
  const columns: Array<{ first: FluxRelease; last: FluxRelease }> = [];
  for (const release of fluxReleases) {
    const previous = columns.at(-1);
    if (previous && signature(previous.last) === signature(release)) previous.last = release;
    else columns.push({ first: release, last: release });
  }
  return columns.map(({ first, last }) => ({ title: first === last ? first : `${first}–${last}`, release: first }));
}

/** The API version of every kind by Flux release, as `model/flux-releases.ts` holds it. */
export function fluxReleasesTable(): string {
  const columns = releaseColumns();
  const rowName = ({ kind, group }: { kind: string; group: string }) =>
    `${kind} (${group.replace('.toolkit.fluxcd.io', '')})`;
  const kinds = new Map<string, string>();
  for (const release of fluxReleases) {
    for (const api of kindApisOf(release)) if (!kinds.has(api.kind)) kinds.set(api.kind, rowName(api));
  }
  const rows = [...kinds].map(([kind, name]) => [
    name,
    ...columns.map(({ release }) => kindApisOf(release).find((api) => api.kind === kind)?.version ?? '–'),
  ]);
  return table(['kind', ...columns.map((column) => column.title)], rows);
}

/** Every metric a query may name (`model/catalogue.ts`). */
export function metricsTable(): string {
  const definitions = Object.entries(catalogue) as Array<[string, MetricDefinition]>;
  const rows = definitions.map(([name, definition]) => [
    code(name) + (definition.removed ? ' (Flux ≤ 2.4)' : ''),
    definition.type,
    sourceNames[definition.source],
    definition.labels.map(code).join(', ') || '–',
    cellText(definition.help),
  ]);
  return table(['metric', 'type', 'exposed by', 'its own labels', 'what it is'], rows);
}

/** The labels each source's scrape adds (`targetLabels` in `model/catalogue.ts`). */
export function targetLabelsTable(): string {
  const sources = Object.entries(targetLabels) as Array<[MetricSource, readonly string[]]>;
  return table(['exposed by', 'labels the scrape adds'], sources.map(([source, labels]) =>
    [sourceNames[source], labels.map(code).join(', ')]));
}

/** Controller metrics and labels that arrived with a later Flux (`controllerMetricsSince`). */
export function metricsSinceTable(): string {
  const rows = controllerMetricsSince.map(({ metric, label, since }) =>
    [code(metric), label ? code(label) : 'the metric itself', since]);
  return table(['metric', 'label', 'from Flux'], rows);
}

/** The legacy flavour's releases, each with the kinds its controllers write no readiness metrics for. */
export function legacyReadinessTable(): string {
  const legacyReleases = fluxReleases.filter((release) => fluxReleases.indexOf(release) <=
    fluxReleases.indexOf(legacyReadiness.lastRelease));
  const rows = legacyReleases.map((release) => {
    const missing = kindsWithoutReadiness('legacy', release).map((kind) => kind.kind);
    return [release, missing.length ? missing.join(', ') : 'none'];
  });
  return table(['Flux', 'kinds without gotk_reconcile_condition'], rows);
}

/** The Flux controllers: since when, whether optional, whether they time reconciliations. */
export function fluxControllersTable(): string {
  const yesNo = (value: boolean) => (value ? 'yes' : 'no');
  const rows = fluxControllers.map((controller) => [
    code(controller.deployment), controller.since, yesNo(controller.optional), yesNo(controller.reconcileDuration),
  ]);
  return table(['controller', 'from Flux', 'optional', 'records gotk_reconcile_duration_seconds'], rows);
}

/** What the k8s-monitoring values keep in each cluster-metrics allow-list (kube-state-metrics flavour). */
export function k8sMonitoringAllowListTable(): string {
  const rows = Object.entries(includeMetrics(resolveConfig({}))).map(([source, metrics]) =>
    [code(`clusterMetrics.${source}.metricsTuning.includeMetrics`), metrics.map(code).join(', ')]);
  return table(['key', 'metrics'], rows);
}

const { controlPlane, cluster, logs, object } = dashboardIdentities;

export const generatedBlocks: GeneratedBlock[] = [
  { page: 'docs/dashboards.md', name: 'panels-flux-control-plane', render: () => panelsTable(controlPlane.uid) },
  { page: 'docs/dashboards.md', name: 'panels-flux-cluster', render: () => panelsTable(cluster.uid) },
  { page: 'docs/dashboards.md', name: 'panels-flux-logs', render: () => panelsTable(logs.uid) },
  { page: 'docs/dashboards.md', name: 'panels-flux-object', render: () => panelsTable(object.uid) },
  {
    page: 'docs/flux-operator.md', name: 'panels-flux-cluster-flux-operator',
    render: () => panelsTable(cluster.uid, { flavor: 'flux-operator' }),
  },
  { page: 'docs/flux-facts.md', name: 'flux-releases', render: fluxReleasesTable },
  { page: 'docs/flux-facts.md', name: 'metrics', render: metricsTable },
  { page: 'docs/flux-facts.md', name: 'target-labels', render: targetLabelsTable },
  { page: 'docs/flux-facts.md', name: 'metrics-since', render: metricsSinceTable },
  {
    page: 'docs/alerts.md', name: 'alerts',
    render: () => alertsTable(alertSet(defaultConfig), panelTitles(defaultConfig)),
  },
  { page: 'docs/configuration.md', name: 'options', render: optionsTable },
  { page: 'docs/flux-facts.md', name: 'legacy-readiness', render: legacyReadinessTable },
  { page: 'docs/flux-facts.md', name: 'flux-controllers', render: fluxControllersTable },
  { page: 'docs/kubernetes.md', name: 'k8s-monitoring-allow-lists', render: k8sMonitoringAllowListTable },
  { page: 'docs/no-data.md', name: 'no-data-causes', render: causesTable },
  { page: 'docs/no-data.md', name: 'no-data-mismatches', render: mismatchesTable },
  // The benchmark's figures, all from the one run in bench/results.json.
  { page: 'README.md', name: 'bench-worst', render: bench.worstRatiosTable },
  { page: 'docs/benchmark.md', name: 'bench-worst', render: bench.worstRatiosTable },
  { page: 'docs/benchmark.md', name: 'bench-goals', render: bench.goalsList },
  { page: 'docs/benchmark.md', name: 'bench-sweep', render: bench.sweepTable },
  { page: 'docs/benchmark.md', name: 'bench-rules', render: bench.rulesTable },
  { page: 'docs/benchmark.md', name: 'bench-bound', render: bench.boundTable },
  { page: 'docs/benchmark.md', name: 'bench-growth', render: bench.growthTable },
  { page: 'docs/benchmark.md', name: 'bench-object-share', render: bench.objectShareTable },
];

const begin = (name: string) => `<!-- generated ${name} -->`;
const end = (name: string) => `<!-- /generated ${name} -->`;

/** The text between a block's markers, or undefined when the page lacks them. */
export function blockIn(text: string, name: string): string | undefined {
  const start = text.indexOf(`${begin(name)}\n`);
  const stop = text.indexOf(end(name));
  if (start < 0 || stop < start) return undefined;
  return text.slice(start + begin(name).length + 1, stop);
}

/** The page with the block's content replaced; throws, naming the page, when its markers are missing. */
export function withBlock(text: string, page: string, name: string, content: string): string {
  const current = blockIn(text, name);
  if (current === undefined) throw new Error(`${page} has no "${begin(name)}" … "${end(name)}" markers`);
  const start = text.indexOf(`${begin(name)}\n`) + begin(name).length + 1;
  return text.slice(0, start) + `${content}\n` + text.slice(start + current.length);
}

/** Rewrites every page whose generated blocks are stale; returns the pages it changed. */
export function writeGeneratedBlocks(root = repositoryRoot, blocks = generatedBlocks): string[] {
  const changed: string[] = [];
  for (const page of new Set(blocks.map((block) => block.page))) {
    const before = readFileSync(join(root, page), 'utf8');
    const after = blocks
      .filter((block) => block.page === page)
      .reduce((text, block) => withBlock(text, page, block.name, block.render()), before);
    if (after !== before) {
      writeFileSync(join(root, page), after);
      changed.push(page);
    }
  }
  return changed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const changed = writeGeneratedBlocks();
    console.log(changed.length ? `rewrote ${changed.join(', ')}` : 'every generated block is current');
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
