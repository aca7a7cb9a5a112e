/**
 * A Prometheus result turned into the data frames a panel receives, as Grafana's Prometheus datasource makes them:
 * its backend gives one frame per series, its frontend merges a table-format target's frames into one table.
 */
import type { DataFrame, Field } from '@grafana/data';
import type { PromSeries } from '../../../fixtures/prometheus';
import data from '../../../fixtures/grafana-data';

/** One target of a panel as it ran: what the datasource needs to build its frames. */
export interface TargetResult {
  refId: string;
  expr: string;
  /** `format: table`: the frontend turns the target's frames into one table. */
  table: boolean;
  legend: string | undefined;
  /** The step, in seconds (the time field's interval). */
  step: number;
  series: PromSeries[];
}

const { FieldType } = data;

// Follows getName in pkg/promlib/querydata/response.go: the legend with its labels filled in, else the series' name.
function displayNameFromDS(target: TargetResult, labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .sort();
  let legend = pairs.length === 0 ? (name ?? '{}') : `${name ?? ''}{${pairs.join(', ')}}`;
  if (target.legend === '__auto') legend = Object.keys(labels).length > 0 ? '' : legend;
  else if (target.legend)
    legend = target.legend.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, label: string) => labels[label] ?? '');
  return legend === '{}' ? target.expr : legend;
}

// Follows pkg/promlib/converter/prom.go and addMetadataToMultiFrame in pkg/promlib/querydata/response.go.
function backendFrames(target: TargetResult): DataFrame[] {
  const frames = target.series.map((series): DataFrame => {
    const samples = series.values ?? (series.value ? [series.value] : []);
    const customName = displayNameFromDS(target, series.metric);
    const value: Field = {
      name: series.metric.__name__ ?? 'Value',
      type: FieldType.number,
      labels: { ...series.metric },
      config: customName ? { displayNameFromDS: customName } : {},
      values: samples.map(([, sample]) => parseSampleValue(sample)),
    };
    const time: Field = {
      name: 'Time',
      type: FieldType.time,
      config: { interval: target.step * 1000 },
      values: samples.map(([t]) => t * 1000),
    };
    return { refId: target.refId, fields: [time, value], length: samples.length, meta: {} };
  });
  // An empty result still answers with one frame, to carry the metadata.
  return frames.length ? frames : [{ refId: target.refId, fields: [], length: 0, meta: {} }];
}

// Follows parseSampleValue in packages/grafana-prometheus/src/result_transformer.ts.
function parseSampleValue(value: string): number {
  if (/^[+-]?inf(?:inity)?$/i.test(value))
    return value[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return parseFloat(value);
}

// Follows transformDFToTable in packages/grafana-prometheus/src/result_transformer.ts.
function tableFrames(frames: DataFrame[]): DataFrame[] {
  if (frames.length === 0 || (frames.length === 1 && frames[0]!.length === 0)) return frames;
  const refIds = [...new Set(frames.map((frame) => frame.refId ?? ''))];
  return refIds.map((refId) => {
    const ofRef = frames.filter((frame) => (frame.refId ?? '') === refId);
    const valueField: Field = {
      name: refIds.length > 1 ? `Value #${refId}` : 'Value',
      type: FieldType.number,
      config: {},
      values: [],
    };
    const timeField: Field = { name: 'Time', type: FieldType.time, config: {}, values: [] };
    const labelFields: Field[] = [];
    for (const frame of ofRef) {
      for (const label of Object.keys(frame.fields[1]?.labels ?? {}).sort()) {
        if (!labelFields.some((field) => field.name === label)) {
          labelFields.push({ name: label, type: FieldType.string, config: { filterable: true }, values: [] });
        }
      }
    }
    for (const frame of ofRef) {
      timeField.config.interval ??= frame.fields[0]?.config.interval;
      timeField.values.push(...(frame.fields[0]?.values ?? []));
      const labels = frame.fields[1]?.labels ?? {};
      for (const value of frame.fields[1]?.values ?? []) {
        valueField.values.push(value);
        for (const field of labelFields) field.values.push(labels[field.name] ?? '');
      }
    }
    const frame: DataFrame = {
      refId,
      fields: [timeField, ...labelFields, valueField],
      meta: { ...ofRef[0]!.meta, preferredVisualisationType: 'rawPrometheus' },
      length: timeField.values.length,
    };
    const sorted = timeField.values.every((time, index) => index === 0 || time >= timeField.values[index - 1]);
    return sorted ? frame : data.sortDataFrame(frame, 0);
  });
}

/** The frames a panel receives for its targets' results (transformV2 in result_transformer.ts, tables last). */
export function panelFrames(targets: TargetResult[]): DataFrame[] {
  const frames = targets.flatMap(backendFrames);
  const isTable = (frame: DataFrame) => targets.find((target) => target.refId === frame.refId)?.table === true;
  return [...frames.filter((frame) => !isTable(frame)), ...tableFrames(frames.filter(isTable))];
}
