/**
 * `doctor`'s findings: for every panel of every dashboard the configuration builds and every alert, whether the
 * series families it reads exist in the user's Prometheus (and Loki) over the dashboards' range, and when one does
 * not, which piece of the installation is missing and how to add it. Then the checks of the configuration against
 * the data: a cluster label nobody carries, the object namespace in the other label, API versions the cluster does
 * not serve, the Flux Operator scraped twice.
 */
import { alertSet } from '../alerts';
import { recordedSeries } from '../alerts/recording';
import type { Config } from '../config';
import { buildDashboardSet, type DashboardJson } from '../dashboards';
import { catalogue, definitionOf, type MetricName } from '../model/catalogue';
import { fluxReleases, isAtLeast, kindApisOf, releaseWrites, type FluxRelease } from '../model/flux-releases';
import { objectLabelName } from '../model/routing';
import { variableNames } from '../model/variables';
import * as probes from '../queries/inspect';
import { causeOf, mismatchOf, type CauseId } from './causes';
import { kindsWithoutReadiness } from '../model/kinds';
import { dashboardDatasource } from '../panels/common';
import { logqlFamilies, promqlFamilies, selectorOf, type SeriesFamily } from './families';
import type { LokiStreams } from './loki';
import type { PrometheusReader } from './prometheus';

export type FamilyState = 'present' | 'quiet' | 'missing' | 'not-written' | 'unchecked';

export interface FamilyFinding {
  family: SeriesFamily;
  state: FamilyState;
  /** Why it is missing (one of causes.ts), and the fix: one sentence each. */
  cause?: CauseId;
  reason?: string;
  fix?: string;
}

export type PanelState = 'draws' | 'empty' | 'not-on-this-release' | 'unchecked';

export interface PanelFinding {
  id: number;
  title: string;
  state: PanelState;
  /** The missing families' findings, when empty. */
  problems: FamilyFinding[];
}

export interface DashboardFinding {
  uid: string;
  title: string;
  /** The range checked, seconds before the inspected time. */
  rangeSeconds: number;
  panels: PanelFinding[];
}

export interface Mismatch {
  check: 'clusterLabel' | 'objectNamespaceLabel' | 'fluxVersion' | 'operatorScrapedTwice' | 'objectLabels';
  message: string;
  fix: string;
}

export interface DoctorReport {
  at: number;
  dashboards: DashboardFinding[];
  alerts: PanelFinding[];
  mismatches: Mismatch[];
  /** What the installation cannot show by design (kinds a release leaves out of the readiness metric). */
  notes: string[];
  /** 0 every panel that can fill has data; 1 some will be empty or the configuration does not match the data. */
  healthy: boolean;
}

/** `now-30m` → 1800: the range a dashboard opens on. */
export function rangeSecondsOf(from: string): number {
  const match = /^now-(\d+)([smhdw])$/.exec(from);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;
  return match ? Number(match[1]) * unit[match[2] as keyof typeof unit] : 3600;
}

interface PanelJsonLike {
  id?: number;
  title?: string;
  type?: string;
  targets?: Array<{ expr?: string; datasource?: { type?: string; uid?: string }; panelId?: number }>;
  panels?: PanelJsonLike[];
}

function panelsOf(dashboard: DashboardJson): PanelJsonLike[] {
  const flat: PanelJsonLike[] = [];
  const visit = (panels: PanelJsonLike[] = []) => {
    for (const panel of panels) {
      if (panel.targets?.length) flat.push(panel);
      visit(panel.panels);
    }
  };
  visit((dashboard as { panels?: PanelJsonLike[] }).panels);
  return flat;
}

/** The variables one installation has one value of: the Flux namespace. */
const fixedVariables = (config: Config) => ({ [variableNames.namespace]: config.namespace });

/** The families each panel reads, by dashboard: any dashboard the set builds, new ones included. */
export function panelFamilies(config: Config): Array<{
  uid: string; title: string; rangeSeconds: number;
  panels: Array<{ id: number; title: string; families: SeriesFamily[] }>;
}> {
  const recorded = new Set(recordedSeries(config).map((series) => series.name));
  const fixed = fixedVariables(config);
  return buildDashboardSet(config).dashboards.map((dashboard) => {
    const json = dashboard as { uid?: string; title?: string; time?: { from?: string } };
    const panels = panelsOf(dashboard);
    const queried = (panel: PanelJsonLike) => (panel.targets ?? []).flatMap((target) => {
      if (!target.expr) return [];
      return target.datasource?.type === 'loki'
        ? logqlFamilies(target.expr, fixed) : promqlFamilies(target.expr, recorded, fixed);
    });
    // A panel showing what another fetched (`-- Dashboard --`) reads that panel's families.
    const reused = (panel: PanelJsonLike) => (panel.targets ?? []).flatMap((target) => {
      const source = target.datasource?.uid === dashboardDatasource.uid
        ? panels.find((candidate) => candidate.id === target.panelId) : undefined;
      return source ? queried(source) : [];
    });
    return {
      uid: json.uid ?? '', title: json.title ?? '', rangeSeconds: rangeSecondsOf(json.time?.from ?? 'now-1h'),
      panels: panels.map((panel) => ({
        id: panel.id ?? 0, title: panel.title ?? '', families: [...queried(panel), ...reused(panel)],
      })),
    };
  });
}

/** The families each alert reads. */
export function alertFamilies(config: Config): Array<{ name: string; families: SeriesFamily[] }> {
  const recorded = new Set(recordedSeries(config).map((series) => series.name));
  const alerts = alertSet(config);
  return [
    ...alerts.prometheus.map((alert) => ({
      name: alert.name, families: promqlFamilies(alert.query.expr, recorded, fixedVariables(config)),
    })),
    ...alerts.loki.map((alert) => ({
      name: alert.name, families: logqlFamilies(alert.query.expr, fixedVariables(config)),
    })),
  ];
}

export interface DoctorInput {
  config: Config;
  prometheus: PrometheusReader;
  loki?: LokiStreams;
  at: number;
}

/** Checks the installation; every query goes through `prometheus`, which caches repeated ones. */
export async function diagnose({ config, prometheus, loki, at }: DoctorInput): Promise<DoctorReport> {
  const dashboards = panelFamilies(config);
  const longest = Math.max(...dashboards.map((dashboard) => dashboard.rangeSeconds));
  const exists = (selector: string, seconds = longest) => prometheus.exists(selector, seconds);
  const ns = config.namespace;

  /** Why a metric that has no series at all is missing, by who writes it. */
  async function missingPiece(metric: string, family: SeriesFamily): Promise<Omit<FamilyFinding, 'family' | 'state'>> {
    switch (family.source) {
      case 'flux-resource-state':
        return causeOf(await exists('kube_pod_container_info')
          ? 'no-flux-state-config' : 'kube-state-metrics-unscraped', metric);
      case 'flux-controller':
        return causeOf(await exists(probes.controllersUp(ns))
          ? 'controller-metric-dropped' : 'controllers-unscraped', metric);
      case 'cadvisor':
        return causeOf('cadvisor-missing', metric);
      case 'kube-state-metrics':
        return causeOf(await exists(probes.kubeStateMetricsSeries)
          ? 'kube-state-metric-dropped' : 'kube-state-metrics-unscraped', metric);
      case 'flux-operator':
        return causeOf('operator-unscraped', metric);
      case 'kubernetes-apiserver':
        return causeOf('apiserver-unscraped', metric);
      case 'recording-rule':
        return causeOf('recording-rules-missing', metric);
      default:
        // `up` and the like: the controllers' scrape writes them.
        return causeOf('controllers-unscraped', metric);
    }
  }

  const findings = new Map<string, Promise<FamilyFinding>>();
  function check(family: SeriesFamily, seconds: number): Promise<FamilyFinding> {
    const key = `${seconds}|${family.source}|${selectorOf(family)}`;
    let finding = findings.get(key);
    if (!finding) {
      finding = family.source === 'loki' ? Promise.resolve(checkLoki(family)) : checkPrometheus(family, seconds);
      findings.set(key, finding);
    }
    return finding;
  }

  async function checkPrometheus(family: SeriesFamily, seconds: number): Promise<FamilyFinding> {
    const metric = family.metric;
    const catalogued = family.catalogued as MetricName | undefined;
    if (catalogued && !releaseWrites(config.fluxVersion, catalogued)) return { family, state: 'not-written' };
    if (await exists(selectorOf(family), seconds)) return { family, state: 'present' };
    if (await exists(metric, seconds)) {
      // The scrape's labels (container, namespace…) say whose series they are; the metric's own are values of the
      // moment (ready="False"), which may well select nothing.
      const own = new Set<string>(catalogued ? definitionOf(catalogued)!.labels : []);
      const structural = family.matchers.filter((m) => !own.has(m.label));
      for (const matcher of structural.filter((m) => m.op === '=' || m.op === '=~')) {
        if (await exists(`${metric}{${matcher.label}!=""}`, seconds)) continue;
        return { family, state: 'missing', ...causeOf('label-dropped', metric, matcher.label) };
      }
      if (await exists(selectorOf({ metric, matchers: structural }), seconds)) return { family, state: 'quiet' };
    }
    if (catalogued && 'removed' in catalogue[catalogued] && config.flavor !== 'legacy') {
      return { family, state: 'not-written' };
    }
    return { family, state: 'missing', ...(await missingPiece(metric, family)) };
  }

  function checkLoki(family: SeriesFamily): FamilyFinding {
    if (!loki) return { family, state: 'unchecked' };
    if (!loki.streams.length) {
      return { family, state: 'missing', ...causeOf('loki-no-streams') };
    }
    const streamLabels = new Set(loki.streams.flatMap((stream) => Object.keys(stream)));
    for (const label of family.labels) {
      if (streamLabels.has(label) || loki.structuredMetadata.includes(label)) continue;
      return { family, state: 'missing', ...causeOf('loki-label-missing', '', label) };
    }
    return { family, state: 'present' };
  }

  async function panelFinding(id: number, title: string, families: SeriesFamily[], seconds: number) {
    const checked = await Promise.all(families.map((family) => check(family, seconds)));
    const problems = checked.filter((finding) => finding.state === 'missing');
    const state: PanelState = problems.length ? 'empty'
      : checked.some((finding) => finding.state === 'unchecked') ? 'unchecked'
      : checked.length && checked.every((finding) => finding.state === 'not-written') ? 'not-on-this-release'
      : 'draws';
    return { id, title, state, problems };
  }

  const dashboardFindings = await Promise.all(dashboards.map(async (dashboard) => ({
    uid: dashboard.uid, title: dashboard.title, rangeSeconds: dashboard.rangeSeconds,
    panels: await Promise.all(dashboard.panels.map((panel) =>
      panelFinding(panel.id, panel.title, panel.families, dashboard.rangeSeconds))),
  })));
  const alerts = await Promise.all(alertFamilies(config).map((alert, index) =>
    panelFinding(index + 1, alert.name, alert.families, longest)));
  const mismatches = await configMismatches(config, prometheus, longest);
  const missingKinds = kindsWithoutReadiness(config.flavor, config.fluxVersion).map((kind) => kind.kind);
  const notes = missingKinds.length
    ? [`Flux ${config.fluxVersion} writes no gotk_reconcile_condition for ${missingKinds.join(', ')}: the legacy ` +
      'flavour\'s readiness panels leave them out (flavor kube-state-metrics shows them)']
    : [];
  const empty = [...dashboardFindings.flatMap((dashboard) => dashboard.panels), ...alerts]
    .some((panel) => panel.state === 'empty');
  return { at, dashboards: dashboardFindings, alerts, mismatches, notes, healthy: !empty && !mismatches.length };
}

/** Whether `version` of the kind arrived before the one `release` uses (so a cluster using it runs an older Flux). */
function isOlderVersion(kind: string, version: string, release: FluxRelease): boolean {
  const arrived = fluxReleases.find((candidate) => kindApisOf(candidate).some((api) =>
    api.kind === kind && api.version === version));
  return arrived !== undefined && !isAtLeast(arrived, release) &&
    kindApisOf(release).find((api) => api.kind === kind)?.version !== version;
}

/** The configuration against the data. */
async function configMismatches(config: Config, prometheus: PrometheusReader, seconds: number): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  const last = (selector: string) => probes.seenIn(selector, seconds);
  const reconciles = probes.controllerReconciles(config.namespace);

  if (config.clusterLabel) {
    const label = config.clusterLabel;
    const scraped = await prometheus.exists(reconciles, seconds);
    const labelled = await prometheus.exists(probes.controllerReconciles(config.namespace, `${label}!=""`), seconds);
    if (scraped && !labelled) {
      mismatches.push({ check: 'clusterLabel', ...mismatchOf('cluster-label-absent', { LABEL: label }) });
    }
  }

  const exported = await prometheus.exists(probes.durationsWithExportedNamespace, seconds);
  const objectNamespaces = await prometheus.series(probes.countBy(['namespace'], last(probes.reconcileDurations)));
  const honoured = !exported && objectNamespaces.length > 0 &&
    objectNamespaces.some((series) => series.namespace !== config.namespace);
  if (config.objectNamespaceLabel === 'exported_namespace' && honoured) {
    mismatches.push({ check: 'objectNamespaceLabel', ...mismatchOf('labels-honoured') });
  }
  if (config.objectNamespaceLabel === 'namespace' && exported) {
    mismatches.push({ check: 'objectNamespaceLabel', ...mismatchOf('labels-not-honoured') });
  }

  const served = await prometheus.series(
    probes.countBy(['group', 'version', 'resource'], last(probes.fluxApiRequests)),
  );
  for (const api of kindApisOf(config.fluxVersion)) {
    const versions = served.filter((s) => s.group === api.group && s.resource === api.plural).map((s) => s.version!);
    // A newer cluster still serves the older versions; an older one does not serve the newer.
    const older = (version: string) => isOlderVersion(api.kind, version, config.fluxVersion);
    if (!versions.length || !versions.every(older)) continue;
    const servedApis = [...new Set(versions)].map((version) => `${api.group}/${version}`).join(', ');
    mismatches.push({
      check: 'fluxVersion', ...mismatchOf('api-not-served', {
        RELEASE: config.fluxVersion, KIND: api.kind, API: `${api.group}/${api.version}`, SERVED: servedApis,
      }),
    });
    break;
  }

  const byLabels = [...(config.clusterLabel ? [config.clusterLabel] : []), 'pod', 'job'];
  const operatorJobs = await prometheus.series(probes.countBy(byLabels, last('flux_operator_info')));
  const byPod = new Map<string, Set<string>>();
  for (const series of operatorJobs) {
    const key = `${config.clusterLabel ? series[config.clusterLabel] ?? '' : ''}|${series.pod ?? ''}`;
    byPod.set(key, (byPod.get(key) ?? new Set()).add(series.job ?? ''));
  }
  const twice = [...byPod.values()].find((jobs) => jobs.size > 1);
  if (twice) {
    const jobs = [...twice].sort().join(' and ');
    mismatches.push({ check: 'operatorScrapedTwice', ...mismatchOf('operator-scraped-twice', { JOBS: jobs }) });
  }

  // Owner labels: only where kube-state-metrics reports Flux objects at all (else the panels' findings say so).
  if (config.objectLabels.length && await prometheus.exists(probes.fluxResources, seconds)) {
    for (const key of config.objectLabels) {
      const label = objectLabelName(key);
      if (await prometheus.exists(probes.fluxResourcesWith(label), seconds)) continue;
      mismatches.push({ check: 'objectLabels', ...mismatchOf('object-label-absent', { KEY: key, LABEL: label }) });
    }
  }
  return mismatches;
}

