/** Panels about Flux objects: readiness, suspension, revisions and reconcile duration. */
import type { Query } from '../queries/query';
import { readyColours, statPanel, suspendedColours, tablePanel, timeseriesPanel } from './common';

/** The labels that name an object in the readiness metric, and the cluster label if any. */
export interface ObjectColumns {
  cluster: string | null;
  kind: string;
  namespace: string;
  name: string;
}

const identityColumns = (labels: ObjectColumns): Record<string, string> => ({
  ...(labels.cluster ? { [labels.cluster]: 'Cluster' } : {}),
  [labels.kind]: 'Kind',
  [labels.namespace]: 'Namespace',
  [labels.name]: 'Name',
});

// Totals

export const objectsTotal = (query: Query) =>
  statPanel({ title: 'Objects', unit: 'short', noValue: '0', description: 'Flux objects of the selected kinds and namespaces, each counted once however many exporters report it.' }, query);

export const objectsReady = (query: Query) =>
  statPanel({ title: 'Ready', unit: 'short', noValue: '0', description: 'Objects whose Ready condition is True.' }, query);

export const objectsNotReady = (query: Query) =>
  statPanel({ title: 'Not ready', unit: 'short', badAt: 1, noValue: '0', description: 'Objects whose Ready condition is False: their last reconciliation failed. See the failing objects table below.' }, query);

export const objectsUnknown = (query: Query) =>
  statPanel({ title: 'Reconciling / unknown', unit: 'short', warnAt: 1, noValue: '0', description: 'Objects whose Ready condition is Unknown: a reconciliation is in progress. Not counted as failing.' }, query);

export const objectsSuspended = (query: Query) =>
  statPanel({ title: 'Suspended', unit: 'short', warnAt: 1, noValue: '0', description: 'Objects with `spec.suspend: true`: Flux does not reconcile them until resumed.' }, query);

export const objectsStalled = (query: Query) =>
  statPanel({ title: 'Stalled', unit: 'short', badAt: 1, noValue: '0', description: 'Objects whose Stalled condition is True: Flux gave up retrying until the object changes.' }, query);

export const appliersTotal = (total: Query) =>
  statPanel({ title: 'Cluster reconcilers', unit: 'short', noValue: '0', description: 'Kustomizations and HelmReleases: the objects that apply to the cluster.' }, total);

export const appliersFailing = (failing: Query) =>
  statPanel({ title: 'Failing reconcilers', unit: 'short', badAt: 1, noValue: '0', description: 'Kustomizations and HelmReleases with Ready=False. In-progress (Unknown) ones are not counted.' }, failing);

export const sourcesTotal = (total: Query) =>
  statPanel({ title: 'Sources', unit: 'short', noValue: '0', description: 'GitRepositories, OCIRepositories, Buckets, HelmRepositories and HelmCharts.' }, total);

export const sourcesFailing = (failing: Query) =>
  statPanel({ title: 'Failing sources', unit: 'short', badAt: 1, noValue: '0', description: 'Sources with Ready=False: their artifact could not be fetched or built.' }, failing);

/** One row per kind: total, ready, not ready, unknown, suspended. */
export const objectsByKind = (kindLabel: string, clusterLabel: string | null, counts: { total: Query; ready: Query; notReady: Query; unknown: Query; suspended: Query }) =>
  tablePanel(
    {
      title: 'Objects by kind',
      description: 'For each kind: how many objects, how many Ready, not Ready (failing), Unknown (reconciling) and suspended.',
      columns: {
        ...(clusterLabel ? { [clusterLabel]: 'Cluster' } : {}),
        [kindLabel]: 'Kind',
        'Value #A': 'Total',
        'Value #B': 'Ready',
        'Value #C': 'Not ready',
        'Value #D': 'Reconciling',
        'Value #E': 'Suspended',
      },
      sortBy: { column: 'Value #C', desc: true },
    },
    [counts.total, counts.ready, counts.notReady, counts.unknown, counts.suspended],
  );

// Tables of objects

export const readinessTable = (labels: ObjectColumns, query: Query) =>
  tablePanel(
    {
      title: 'Readiness',
      description: 'Every Flux object with its Ready status and reason, suspension and last applied revision. Failing objects (Ready=False) sort first.',
      columns: { ...identityColumns(labels), ready: 'Ready', ready_reason: 'Reason', suspended: 'Suspended', revision: 'Revision' },
      sortBy: { column: 'ready' },
      colouredColumns: { ready: readyColours, suspended: suspendedColours },
    },
    [query],
  );

export const failingTable = (labels: ObjectColumns, query: Query) =>
  tablePanel(
    {
      title: 'Failing objects',
      description: 'Objects with Ready=False, with the reason of the Ready condition (e.g. ArtifactFailed, BuildFailed, HealthCheckFailed, DependencyNotReady) and the source they read.',
      columns: { ...identityColumns(labels), ready_reason: 'Reason', source_name: 'Source', revision: 'Revision' },
      sortBy: { column: labels.kind },
    },
    [query],
  );

export const stalledTable = (labels: ObjectColumns, query: Query) =>
  tablePanel(
    {
      title: 'Stalled objects',
      description: 'Objects with Stalled=True: Flux stopped retrying; fix the object (or its source) and it reconciles again.',
      columns: { ...identityColumns(labels), ready: 'Ready', ready_reason: 'Reason', revision: 'Revision' },
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

export const suspendedTable = (labels: ObjectColumns, query: Query) =>
  tablePanel(
    {
      title: 'Suspended objects',
      description: 'Objects with `spec.suspend: true`. Resume with `flux resume <kind> <name> -n <namespace>`.',
      columns: { ...identityColumns(labels), ready: 'Ready', revision: 'Revision' },
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

export const helmChartsTable = (labels: ObjectColumns, query: Query) =>
  tablePanel(
    {
      title: 'HelmRelease charts',
      description: 'Each HelmRelease with the chart and chart version it last installed, the app version, and the chart source.',
      columns: {
        ...(labels.cluster ? { [labels.cluster]: 'Cluster' } : {}),
        [labels.namespace]: 'Namespace', [labels.name]: 'Name', chart_name: 'Chart', revision: 'Chart version',
        chart_app_version: 'App version', chart_source_name: 'Source', chart_ref_name: 'Chart ref', ready: 'Ready',
      },
      sortBy: { column: labels.name },
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

export const sourceRevisionsTable = (labels: ObjectColumns, query: Query) =>
  tablePanel(
    {
      title: 'Source revisions',
      description: 'Each source with its URL (or bucket, or chart) and the revision of its current artifact.',
      columns: {
        ...identityColumns(labels), url: 'URL', bucket_name: 'Bucket', chart_name: 'Chart', revision: 'Revision', ready: 'Ready',
      },
      sortBy: { column: labels.kind },
      colouredColumns: { ready: readyColours },
    },
    [query],
  );

// Reconcile duration

export const reconcileDurationByKind = (average: Query, p95: Query) =>
  timeseriesPanel({ title: 'Reconcile duration by kind', unit: 's', min: 0, description: 'Average and 95th percentile time of one reconciliation per kind (`gotk_reconcile_duration_seconds`).' }, [average, p95]);

export const slowestObjects = (labels: { cluster: string | null; namespace: string }, query: Query) =>
  tablePanel(
    {
      title: 'Slowest objects',
      description: 'The objects whose reconciliations took longest on average over the time window shown.',
      columns: { ...(labels.cluster ? { [labels.cluster]: 'Cluster' } : {}), kind: 'Kind', [labels.namespace]: 'Namespace', name: 'Name' },
      valueColumn: { title: 'Average duration', unit: 's' },
      sortBy: { column: 'Value', desc: true },
    },
    [query],
  );

export const reconcilesPerMinuteByKind = (query: Query) =>
  timeseriesPanel({ title: 'Reconciliations per minute by kind', unit: 'opm', min: 0, description: 'Reconciliations per minute of each kind, from the controllers\' own histogram count (a per-second rate times 60).' }, [query]);
