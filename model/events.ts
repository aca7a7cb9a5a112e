/**
 * The pipelines that ship Kubernetes events to Loki, and what each writes: its stream labels, the line's format, and
 * where the involved object's name is (docs/flux-facts.md, "Kubernetes events in Loki", names each upstream source).
 */

/**
 * The event pipeline: Grafana Alloy's `loki.source.kubernetes_events` configured by hand (`alloy`), the same
 * component as the k8s-monitoring Helm chart's `clusterEvents` configures it (1.x, 2.x–3.x, 4.x), the
 * kubernetes-event-exporter's Loki sink, or `none` (events are not in Loki).
 */
export type EventPipeline =
  | 'alloy'
  | 'k8s-monitoring-v1'
  | 'k8s-monitoring-v2-v3'
  | 'k8s-monitoring-v4'
  | 'kubernetes-event-exporter'
  | 'none';

/** How Alloy's component writes an event's line: its `log_format` (k8s-monitoring: `clusterEvents.logFormat`). */
export type EventLineFormat = 'logfmt' | 'json';

/** Where a pipeline's lines carry the event's fields. */
export type EventLines =
  /** Alloy's line: `name`, `kind`, …, `reportingcontroller`, `sourcecomponent`, `reason`, `type`, `count`, `msg`. */
  | 'alloy'
  /** kubernetes-event-exporter's line: the whole event as JSON, `involvedObject` and `source` nested. */
  | 'event-json';

export interface EventPipelineFacts {
  /** The stream labels every event of the pipeline carries with a fixed value (the selector's own matchers). */
  fixedLabels: Readonly<Record<string, string>>;
  /** The stream label holding the involved object's namespace; null where no stream label holds it. */
  namespaceLabel: string | null;
  /** Structured metadata holding the involved object's name, filterable before any parser; null where none. */
  nameMetadata: string | null;
  lines: EventLines;
  /** The line format is chosen by `events.lineFormat`; false where the pipeline writes one format only. */
  lineFormatChosen: boolean;
  /** The fixed labels are whatever the installation configured: `events.streamLabels` must name them. */
  streamLabelsRequired: boolean;
}

/** What Loki accepts as a label name (the stream labels of `events.streamLabels`). */
export const lokiLabelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Alloy's default `job_name` of `loki.source.kubernetes_events`. */
export const alloyEventsJob = 'loki.source.kubernetes_events';
/** The `job_name` the k8s-monitoring chart gives the component in every major version. */
export const k8sMonitoringEventsJob = 'integrations/kubernetes/eventhandler';
/** The static label k8s-monitoring 2.x and later add to every event. */
export const k8sMonitoringEventsSource = { source: 'kubernetes-events' } as const;

/** What the k8s-monitoring chart writes from 2.x on: the `source` label, and the name as structured metadata. */
const k8sMonitoringV2Events: EventPipelineFacts = {
  fixedLabels: { job: k8sMonitoringEventsJob, ...k8sMonitoringEventsSource },
  namespaceLabel: 'namespace',
  nameMetadata: 'name',
  lines: 'alloy',
  lineFormatChosen: true,
  streamLabelsRequired: false,
};

export const eventPipelines: Record<Exclude<EventPipeline, 'none'>, EventPipelineFacts> = {
  alloy: {
    fixedLabels: { job: alloyEventsJob },
    namespaceLabel: 'namespace',
    nameMetadata: null,
    lines: 'alloy',
    lineFormatChosen: true,
    streamLabelsRequired: false,
  },
  'k8s-monitoring-v1': {
    fixedLabels: { job: k8sMonitoringEventsJob },
    namespaceLabel: 'namespace',
    nameMetadata: null,
    lines: 'alloy',
    lineFormatChosen: true,
    streamLabelsRequired: false,
  },
  'k8s-monitoring-v2-v3': k8sMonitoringV2Events,
  // 4.x adds `instance` and `service_name` stream labels, which no selector needs: read as 2.x and 3.x are.
  'k8s-monitoring-v4': k8sMonitoringV2Events,
  'kubernetes-event-exporter': {
    fixedLabels: {},
    namespaceLabel: null,
    nameMetadata: null,
    lines: 'event-json',
    lineFormatChosen: false,
    streamLabelsRequired: true,
  },
};

/**
 * The event fields the panel shows, by the label each is extracted to (names of their own: `namespace`, `name`,
 * `reason` and `level` are stream labels or structured metadata of some pipelines), and the field's path in each
 * line. Both `sourcecomponent` (core/v1 `source.component`, Flux today) and `reportingcontroller` (events.k8s.io/v1,
 * fluxcd/flux2#5761) are read: either may name the controller.
 */
export const eventFields: Record<EventLines, Readonly<Record<string, string>>> = {
  alloy: {
    object_kind: 'kind',
    object_name: 'name',
    event_reason: 'reason',
    event_type: 'type',
    event_count: 'count',
    event_message: 'msg',
    source_component: 'sourcecomponent',
    reporting_controller: 'reportingcontroller',
  },
  'event-json': {
    object_kind: 'involvedObject.kind',
    object_namespace: 'involvedObject.namespace',
    object_name: 'involvedObject.name',
    event_reason: 'reason',
    event_type: 'type',
    event_count: 'count',
    event_message: 'message',
    source_component: 'source.component',
    reporting_controller: 'reportingComponent',
  },
};
