/** What `init` and `doctor` ask a Loki: the streams of the Flux namespace and their structured metadata. */
import { getJson, type Deadline, type Endpoint } from './client';

export interface LokiStreams {
  /** The label sets of the streams whose namespace label is the Flux namespace. */
  streams: Array<Record<string, string>>;
  /** Stream labels Loki knows at all over the range. */
  labels: string[];
  /** Structured metadata fields of those streams (from `/detected_fields`: fields no parser produced). */
  structuredMetadata: string[];
}

interface DetectedFields {
  fields?: Array<{ label: string; parsers?: string[] | null }>;
}

/** Reads the Flux namespace's streams over [start, end]; `namespaceLabel` is the pipeline's namespace label. */
export async function lokiStreams(
  endpoint: Endpoint, namespaceLabel: string, namespace: string, start: number, end: number, deadline: Deadline,
): Promise<LokiStreams> {
  const range = { start: String(Math.floor(start * 1e9)), end: String(Math.floor(end * 1e9)) };
  const selector = `{${namespaceLabel}=${JSON.stringify(namespace)}}`;
  const labels = (await getJson(endpoint, 'Loki', '/loki/api/v1/labels', range, deadline)) as string[] | undefined;
  const streams = labels?.includes(namespaceLabel)
    ? ((await getJson(endpoint, 'Loki', '/loki/api/v1/series', { 'match[]': selector, ...range }, deadline)) as
      Array<Record<string, string>> | undefined) ?? []
    : [];
  let structuredMetadata: string[] = [];
  if (streams.length) {
    const detected = (await getJson(endpoint, 'Loki', '/loki/api/v1/detected_fields', { query: selector, ...range },
      deadline)) as DetectedFields;
    structuredMetadata = (detected.fields ?? []).filter((field) => !field.parsers?.length).map((field) => field.label);
  }
  return { streams, labels: labels ?? [], structuredMetadata };
}
