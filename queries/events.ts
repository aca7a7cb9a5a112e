/**
 * LogQL over the Kubernetes events of one object, as the configured pipeline stores them in Loki
 * (model/events.ts): the selector narrows to the object's namespace where a stream label holds it, its name is
 * matched before any parser, and the line is parsed only then.
 */
import {
  eventFields, eventPipelines, type EventLineFormat, type EventPipeline,
} from '../model/events';
import { variableNames, variableRef } from '../model/variables';
import { logQuery, type Query } from './query';
import type { Scope } from './scope';

/** Where the events come from: a pipeline other than `none`, with the options it reads. */
export interface EventSource {
  pipeline: Exclude<EventPipeline, 'none'>;
  lineFormat: EventLineFormat;
  /** The fixed stream labels, replacing the pipeline's own. */
  streamLabels?: Readonly<Record<string, string>>;
}

const quote = (value: string) => JSON.stringify(value);

/** The event's fields as the panel prints them: type, reason, count, the controller that reported it, message. */
export const eventLineTemplate =
  '{{ .event_type }} {{ .event_reason }}{{ if .event_count }} x{{ .event_count }}{{ end }} ' +
  '({{ if .source_component }}{{ .source_component }}{{ else }}{{ .reporting_controller }}{{ end }}): ' +
  '{{ .event_message }}';

/** The parser stage: Alloy's logfmt or JSON line, or the exporter's event JSON, each field under its own label. */
function parserStage(source: EventSource): string {
  const facts = eventPipelines[source.pipeline];
  const fields = eventFields[facts.lines];
  const parser = facts.lines === 'alloy' && source.lineFormat === 'logfmt' ? 'logfmt' : 'json';
  return `| ${parser} ${Object.entries(fields).map(([label, field]) => `${label}=${quote(field)}`).join(', ')}`;
}

/** The events about the object the dashboard shows, newest first, each printed as `eventLineTemplate`. */
export function objectEvents(scope: Scope, source: EventSource): Query {
  const facts = eventPipelines[source.pipeline];
  const name = variableRef(variableNames.objectName);
  const objectNamespace = variableRef(variableNames.objectNamespace);
  const fixed = Object.entries(source.streamLabels ?? facts.fixedLabels)
    .map(([label, value]) => `${label}=${quote(value)}`);
  const selector = [
    ...fixed,
    ...(facts.namespaceLabel ? [`${facts.namespaceLabel}=${quote(objectNamespace)}`] : []),
    ...(scope.clusterLabel && scope.cluster !== null ? [`${scope.clusterLabel}=~${quote(scope.cluster)}`] : []),
  ];
  const stages = [
    `{${selector.join(', ')}}`,
    // Structured metadata is filtered without parsing; elsewhere a line filter skips most lines unparsed.
    facts.nameMetadata ? `| ${facts.nameMetadata}=${quote(name)}` : `|= ${quote(name)}`,
    parserStage(source),
    `| object_kind=${quote(variableRef(variableNames.kind))}`,
    `| object_name=${quote(name)}`,
    ...(facts.namespaceLabel ? [] : [`| object_namespace=${quote(objectNamespace)}`]),
    `| line_format \`${eventLineTemplate}\``,
  ];
  return logQuery(stages.join(' '));
}
