/** Panels about one Flux object: its state now and over time, its reconciliations, its logs. */
import type { Query } from '../queries/query';
import {
  logsPanel, readinessColours, stateTimelinePanel, tablePanel, timeseriesPanel, type LogsOptions,
  type StateTimelineOptions,
} from './common';

/**
 * Floors of the History timelines' steps: opening the dashboard must cost a small share of Flux Cluster Stats'
 * samples (docs/benchmark.md), so readiness is drawn every 3 minutes at least and the lanes of reasons and revisions,
 * which change less often, every 5.
 */
const readinessStep = '3m';
const laneStep = '5m';

export const objectNow = (query: Query) =>
  tablePanel(
    {
      title: 'Object now',
      description:
        'The object as the readiness metric reports it now: Ready status and reason, suspension, the revision it ' +
        'applied and what it fetches from (URL, chart, source). An empty table: no such object in this range.',
      colouredColumns: readinessColours,
    },
    [query],
  );

export const readinessTimeline = (query: Query, states: StateTimelineOptions['states']) =>
  stateTimelinePanel({
    title: 'Readiness over time',
    description:
      'Ready, Not ready, Unknown (reconciling), Suspended and, where the metric tells it, Stalled, over the range: ' +
      'where the colour turns red is when the object started failing.',
    states,
  }, [query]).interval(readinessStep);

export const readyReasons = (query: Query) =>
  stateTimelinePanel({
    title: 'Ready reason over time',
    description:
      'The reason of the Ready condition, one lane per reason, lit while it was the reason (e.g. ' +
      'ReconciliationSucceeded, then ArtifactFailed or BuildFailed when it broke).',
  }, [query]).interval(laneStep);

export const revisions = (query: Query) =>
  stateTimelinePanel({
    title: 'Revisions over time',
    description:
      'The revisions the object ran, one lane per revision, lit while it was current: a commit or digest for a ' +
      "source or Kustomization, the chart version for a HelmRelease. A bad commit's arrival lines up with the " +
      'readiness above.',
  }, [query]).interval(laneStep);

export const reconcilesPerMinute = (query: Query) =>
  timeseriesPanel({
    title: 'Reconciliations per minute',
    unit: 'opm',
    min: 0,
    description: "This object's reconciliations per minute (`gotk_reconcile_duration_seconds_count`).",
  }, [query]);

export const reconcileDuration = (average: Query, p99: Query) =>
  timeseriesPanel({
    title: 'Reconcile duration',
    unit: 's',
    min: 0,
    description: "Mean and 99th percentile time of this object's reconciliations (`gotk_reconcile_duration_seconds`).",
  }, [average, p99]);

export const controllerErrorShare = (query: Query) =>
  timeseriesPanel({
    title: 'Its controller: error share',
    unit: 'percentunit',
    min: 0,
    description:
      "Context from the kind's controller: the share of all its reconciliations that returned an error. High " +
      'for every object at once points at the controller or the cluster, not at this object.',
  }, [query]);

export const controllerQueueWait = (query: Query) =>
  timeseriesPanel({
    title: 'Its controller: queue wait p99',
    unit: 's',
    min: 0,
    description:
      "How long objects wait in the kind's controller's work queue before a worker takes them (99th percentile): " +
      'a busy controller delays every object.',
  }, [query]);

export const objectErrorLines = (query: Query, logsDashboardLink: LogsOptions['link']) =>
  logsPanel({
    title: 'Error logs of this object',
    link: logsDashboardLink,
    description:
      "The controller's error lines about this object (JSON `controller` = its kind, `namespace` and `name`), " +
      'newest first.',
  }, query);

export const objectLogLines = (query: Query, logsDashboardLink: LogsOptions['link']) =>
  logsPanel({
    title: 'Logs of this object',
    description:
      'Every line the controller wrote about this object, newest first. The Flux Logs link opens them beside ' +
      'the other controllers\' lines, with this object as the filter.',
    link: logsDashboardLink,
  }, query);

export const objectEvents = (query: Query, pipeline: string) =>
  logsPanel({
    title: 'Kubernetes events of this object',
    description:
      `The Kubernetes events about this object as ${pipeline} stored them in Loki, newest first: type, reason, ` +
      'count (where the event repeated), the controller that reported it (`source.component`, or ' +
      '`reportingController` for events.k8s.io/v1 events) and the message. Kubernetes keeps events for an hour; ' +
      'Loki keeps them as long as its retention.',
  }, query);
