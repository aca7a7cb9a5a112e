/** Panels about Flux objects: readiness, suspension, revisions and reconcile duration. */
import { fluxKinds, kindsOfRole, timedKinds } from '../model/kinds';
import type { Query } from '../queries/query';
import {
  expressionTimeseriesPanel, readinessColours, readyColours, reusedTimeseriesPanel, statPanel, tablePanel,
  timeseriesPanel, type ColumnLink, type StatOptions,
} from './common';

/** A count of objects: 0 when the query finds none. */
const countStat = (options: Omit<StatOptions, 'unit' | 'noValue'>, query: Query) =>
  statPanel({ ...options, unit: 'short', noValue: '0' }, query);

/** The kinds no controller times (`gotk_reconcile_duration_seconds`): Alert, Provider, source-watcher's. */
const untimed = fluxKinds.filter((k) => !timedKinds.includes(k)).map((k) => k.kind).join(', ');
const untimedNote = ` No series for ${untimed}: their controllers record no reconcile duration.`;

// Totals

export const objectsTotal = (query: Query) =>
  countStat({
    title: 'Objects',
    description:
      'Flux objects of the selected kinds and namespaces, each counted once however many exporters report it.',
  }, query);

export const objectsReady = (query: Query) =>
  countStat({ title: 'Ready', description: 'Objects whose Ready condition is True.' }, query);

export const objectsNotReady = (query: Query) =>
  countStat({
    title: 'Not ready',
    badAt: 1,
    description:
      'Objects whose Ready condition is False: their last reconciliation failed. See the failing objects table below.',
  }, query);

export const objectsUnknown = (query: Query) =>
  countStat({
    title: 'Reconciling / unknown',
    warnAt: 1,
    description: 'Objects whose Ready condition is Unknown: a reconciliation is in progress. Not counted as failing.',
  }, query);

export const objectsSuspended = (query: Query) =>
  countStat({
    title: 'Suspended',
    warnAt: 1,
    description: 'Objects with `spec.suspend: true`: Flux does not reconcile them until resumed.',
  }, query);

export const objectsStalled = (query: Query) =>
  countStat({
    title: 'Stalled',
    badAt: 1,
    description: 'Objects whose Stalled condition is True: Flux gave up retrying until the object changes.',
  }, query);

export const appliersTotal = (query: Query) =>
  countStat({
    title: 'Cluster reconcilers',
    description: 'Kustomizations and HelmReleases: the objects that apply to the cluster.',
  }, query);

export const appliersFailing = (query: Query) =>
  countStat({
    title: 'Failing reconcilers',
    badAt: 1,
    description: 'Kustomizations and HelmReleases with Ready=False. In-progress (Unknown) ones are not counted.',
  }, query);

export const sourcesTotal = (query: Query) =>
  countStat({
    title: 'Sources',
    description: `Objects of the source kinds: ${kindsOfRole('source').map((k) => k.kind).join(', ')}.`,
  }, query);

export const sourcesFailing = (query: Query) =>
  countStat({
    title: 'Failing sources',
    badAt: 1,
    description: 'Sources with Ready=False: their artifact could not be fetched or built.',
  }, query);

/** One row per kind: total, ready, not ready, unknown, suspended. */
export interface KindCounts {
  total: Query;
  ready: Query;
  notReady: Query;
  unknown: Query;
  suspended: Query;
}

export const objectsByKind = (counts: KindCounts) =>
  tablePanel(
    {
      title: 'Objects by kind',
      description:
        'For each kind: how many objects, how many Ready, not Ready (failing), Unknown (reconciling) and suspended.',
      sortBy: { column: 'Not ready', desc: true },
      // A count query has no series for a kind with none in that state: the merged cell is empty, not 0.
      noValue: '0',
    },
    [
      { query: counts.total, value: 'Total' },
      { query: counts.ready, value: 'Ready' },
      { query: counts.notReady, value: 'Not ready' },
      { query: counts.unknown, value: 'Reconciling' },
      { query: counts.suspended, value: 'Suspended' },
    ],
  );

// Tables of objects

export const readinessTable = (query: Query, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Readiness',
      columnLinks: links,
      description:
        'Every Flux object that has a Ready condition, with its status and reason, suspension and last applied ' +
        'revision. Failing objects (Ready=False) sort first.',
      sortBy: { column: 'Ready' },
      colouredColumns: readinessColours,
    },
    [query],
  );

/** `withStalled`: the readiness metric tells no Stalled condition, so stalled objects are among these rows. */
export const failingTable = (query: Query, withStalled = false, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Failing objects',
      columnLinks: links,
      description:
        'Objects with Ready=False, with the reason of the Ready condition (e.g. ArtifactFailed, BuildFailed, ' +
        'HealthCheckFailed, DependencyNotReady) and the source they read.' +
        (withStalled ? ' Stalled objects are among them: this metric has no Stalled condition to tell them by.' : ''),
      sortBy: { column: 'Kind' },
    },
    [query],
  );

export const stalledTable = (query: Query, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Stalled objects',
      columnLinks: links,
      description:
        'Objects with Stalled=True: Flux stopped retrying; fix the object (or its source) and it reconciles again.',
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

export const suspendedTable = (query: Query, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Suspended objects',
      columnLinks: links,
      description: 'Objects with `spec.suspend: true`. Resume with `flux resume <kind> <name> -n <namespace>`.',
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

/** Every HelmRelease's chart; `kindLabel` is hidden, as every row is a HelmRelease. */
export const helmChartsTable = (query: Query, kindLabel: string, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'HelmRelease charts',
      columnLinks: links,
      description:
        'Each HelmRelease with the chart and chart version it last installed, the app version, and the chart source.',
      titles: { [kindLabel]: null, revision: 'Chart version' },
      sortBy: { column: 'Name' },
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

export const sourceRevisionsTable = (query: Query, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Source revisions',
      columnLinks: links,
      description: 'Each source with its URL (or bucket, or chart) and the revision of its current artifact.',
      sortBy: { column: 'Kind' },
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

// Reconcile duration

/** What the reconcile duration panel fetches per kind: the panel beside it shows the reconciliations. */
export interface DurationByKindQueries {
  /** Seconds spent reconciling per minute, and reconciliations per minute: their ratio is the average. */
  secondsPerMinute: Query;
  reconcilesPerMinute: Query;
  p95OfObjects: Query;
}

const durationByKindList = (q: DurationByKindQueries) => [q.secondsPerMinute, q.reconcilesPerMinute, q.p95OfObjects];

export const reconcileDurationByKind = (q: DurationByKindQueries) =>
  expressionTimeseriesPanel({
    title: 'Reconcile duration by kind',
    unit: 's',
    min: 0,
    description:
      'Average time of one reconciliation per kind, and its 95th percentile over the kind\'s objects: 95 % of them ' +
      'took at most that on average (`gotk_reconcile_duration_seconds`; the slowest are listed in Slowest objects). ' +
      'The average is divided in Grafana from the seconds and reconciliations per minute fetched here, which the ' +
      `panel beside it shows.${untimedNote}`,
  }, durationByKindList(q), {
    expression: (ref) => `${ref(q.secondsPerMinute)} / ${ref(q.reconcilesPerMinute)}`,
    legendLabels: q.reconcilesPerMinute.labels,
    suffix: ' avg',
    drawn: [q.p95OfObjects],
  });

/** `durationPanelId`: the id of the reconcile duration panel, whose fetched series this panel shows. */
export const reconcilesPerMinuteByKind = (q: DurationByKindQueries, durationPanelId: number) =>
  reusedTimeseriesPanel({
    title: 'Reconciliations per minute by kind',
    unit: 'opm',
    min: 0,
    description:
      "Reconciliations per minute of each kind, from the controllers' own histogram count " +
      `(a per-second rate times 60).${untimedNote}`,
  }, { panelId: durationPanelId, queries: durationByKindList(q), shown: [q.reconcilesPerMinute] });

export const slowestObjects = (query: Query, links: ColumnLink[] = []) =>
  tablePanel(
    {
      title: 'Slowest objects',
      columnLinks: links,
      description:
        `The objects whose reconciliations took longest on average over the time window shown.${untimedNote}`,
      unit: 's',
      sortBy: { column: 'Average duration', desc: true },
    },
    [{ query, value: 'Average duration' }],
  );


