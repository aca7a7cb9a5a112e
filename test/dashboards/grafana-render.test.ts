/**
 * The small steps Grafana keeps outside `@grafana/data`, written here after its sources: Prometheus results into
 * frames, variable values into PromQL, table sorting; and the rendering they feed, on hand-made results.
 */
import { describe, expect, it } from 'vitest';
import { formatValues } from '../../fixtures/fleet/grafana';
import { panelFrames, type TargetResult } from '../helpers/render/frames';
import { applyFieldConfig, statView, tableView, transform, type PanelLike } from '../helpers/render/panel';
import { theme } from '../../fixtures/grafana-data';

const sample = (metric: Record<string, string>, value = '1') => ({
  metric,
  value: [1_700_000_000, value] as [number, string],
});
const target = (refId: string, series: TargetResult['series'], extra: Partial<TargetResult> = {}): TargetResult => ({
  refId,
  expr: 'up',
  table: true,
  legend: undefined,
  step: 30,
  series,
  ...extra,
});
const fieldNames = (frames: ReturnType<typeof panelFrames>) =>
  frames.map((frame) => frame.fields.map((field) => field.name));

describe('Prometheus results as frames', () => {
  it("a table target gives one frame: Time, its labels in order of first sight (each series' sorted), Value", () => {
    const frames = panelFrames([
      target('A', [sample({ pod: 'b', cluster: 'x' }), sample({ pod: 'a', cluster: 'x', image: 'i' })]),
    ]);
    expect(fieldNames(frames)).toEqual([['Time', 'cluster', 'pod', 'image', 'Value']]);
    expect(frames[0]!.fields[3]!.values).toEqual(['', 'i']);
  });

  it('several table targets give a frame each, the value named by its refId', () => {
    const frames = panelFrames([target('A', [sample({ pod: 'a' })]), target('B', [sample({ pod: 'a' }, '2')])]);
    expect(fieldNames(frames)).toEqual([
      ['Time', 'pod', 'Value #A'],
      ['Time', 'pod', 'Value #B'],
    ]);
  });

  it('a series target gives a frame per series, named by its legend, else by its labels', () => {
    const legend = panelFrames([target('A', [sample({ cluster: 'x' })], { table: false, legend: '{{cluster}}' })]);
    expect(legend[0]!.fields[1]!.config.displayNameFromDS).toBe('x');
    const labels = panelFrames([target('A', [sample({ pod: 'a', cluster: 'x' })], { table: false })]);
    expect(labels[0]!.fields[1]!.config.displayNameFromDS).toBe('{cluster="x", pod="a"}');
  });

  it('an empty result still gives one frame, with no fields', () => {
    expect(fieldNames(panelFrames([target('A', [])]))).toEqual([[]]);
  });
});

describe('variable values in PromQL', () => {
  it('multi-value or All: a regex of escaped values; a single value: quotes and backslashes escaped', () => {
    expect(formatValues(['a.b', 'c'], { multi: true })).toBe('(a\\\\.b|c)');
    expect(formatValues(['a.b'], { includeAll: true })).toBe('a\\\\.b');
    expect(formatValues(["it's"], {})).toBe("it\\\\'s");
  });
});

describe('a table and a stat as drawn', () => {
  const table: PanelLike = {
    type: 'table',
    transformations: [
      { id: 'organize', options: { excludeByName: { Time: true }, renameByName: { pod: 'Pod', Value: 'Up' } } },
    ],
    fieldConfig: {
      defaults: {},
      overrides: [
        {
          matcher: { id: 'byName', options: 'Up' },
          properties: [
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
            { id: 'mappings', value: [{ type: 'value', options: { '0': { text: 'down', color: 'red' } } }] },
          ],
        },
      ],
    },
    options: { sortBy: [{ displayName: 'Pod' }] },
  };

  it('renames, orders rows naturally (pod-10 after pod-9), maps and colours cells', async () => {
    const frames = panelFrames([target('A', [sample({ pod: 'pod-10' }), sample({ pod: 'pod-9' }, '0')])]);
    const view = tableView(table, applyFieldConfig(table, await transform(table, frames)));
    expect(view.headers).toEqual(['Pod', 'Up']);
    expect(view.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['pod-9', 'down'],
      ['pod-10', '1'],
    ]);
    expect(view.rows[0]![1]!.colour).toBe(theme.visualization.getColorByName('red'));
    expect(view.rows[0]![0]!.colour).toBeUndefined();
  });

  it('a stat shows each series reduced, in unit and decimals, coloured by thresholds; none: noValue', async () => {
    const stat: PanelLike = {
      type: 'stat',
      fieldConfig: {
        defaults: {
          unit: 'percentunit',
          decimals: 0,
          noValue: '0',
          thresholds: {
            mode: 'absolute' as never,
            steps: [
              { value: -Infinity, color: 'green' },
              { value: 0.2, color: 'red' },
            ],
          },
        },
        overrides: [],
      },
      options: { reduceOptions: { calcs: ['lastNotNull'], values: false } },
    };
    const frames = panelFrames([
      target('A', [sample({ cluster: 'x' }, '0.4'), sample({ cluster: 'y' }, '0.05')], {
        table: false,
        legend: '{{cluster}}',
      }),
    ]);
    expect(statView(stat, applyFieldConfig(stat, frames)).values).toEqual([
      { title: 'x', text: '40%', colour: theme.visualization.getColorByName('red') },
      { title: 'y', text: '5%', colour: theme.visualization.getColorByName('green') },
    ]);
    expect(
      statView(stat, applyFieldConfig(stat, panelFrames([target('A', [], { table: false })]))).values.map(
        (v) => v.text,
      ),
    ).toEqual(['0']);
  });
});
