/** Each panel type drawn by Grafana's own components, as its plugin in Grafana's app draws it. */
import * as data from '@grafana/data';
import type { DataFrame, FieldDisplay, GrafanaTheme2, ReduceDataOptions } from '@grafana/data';
import {
  BarGauge, BigValue, BigValueColorMode, BigValueGraphMode, BigValueJustifyMode, BigValueTextMode, TimeSeries,
  VizRepeater,
} from '@grafana/ui';
// Grafana 13's table panel draws with TableNG; @grafana/ui's `Table` is the older react-table one.
import { TableNG } from '@grafana/ui/unstable';
import type { VizLegendOptions } from '@grafana/schema';
import type { ScenePanel } from '../scene';
import { fieldConfigApplied, panelFieldConfig, replaceVariables } from './field-config';

export interface PanelProps {
  panel: ScenePanel;
  theme: GrafanaTheme2;
  width: number;
  height: number;
  timeRange: data.TimeRange;
}

type Options = Record<string, unknown>;

/** What Grafana shows in a panel without data (PanelDataErrorView): the panel's noValue, else "No data". */
export function NoData({ panel }: { panel: ScenePanel }) {
  const text = (panel.fieldConfig?.defaults?.noValue as string | undefined) ?? 'No data';
  return (
    <div className="preview-no-data" data-no-data="">
      {text}
    </div>
  );
}

const hasValues = (frames: DataFrame[]) =>
  frames.some((frame) => frame.length > 0 && frame.fields.some((field) => field.type === data.FieldType.number));

/** One value per field (or row), reduced as the panel's reduceOptions say: what stat and bar gauge panels draw. */
function displayValues(panel: ScenePanel, options: Options, frames: DataFrame[], theme: GrafanaTheme2): FieldDisplay[] {
  return data.getFieldDisplayValues({
    data: frames,
    fieldConfig: panelFieldConfig(panel),
    reduceOptions: (options.reduceOptions as ReduceDataOptions) ?? { calcs: ['lastNotNull'], values: false },
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
}

// Follows the defaults of public/app/plugins/panel/stat/panelcfg.gen.ts and its StatPanel.tsx.
function StatPanel({ panel, theme, width, height }: PanelProps) {
  const options: Options = {
    colorMode: 'value', graphMode: 'area', justifyMode: 'auto', textMode: 'auto', ...panel.options,
  };
  const frames = fieldConfigApplied(panel, theme);
  const getValues = () => displayValues(panel, options, frames, theme);
  return (
    <VizRepeater<FieldDisplay, data.DisplayValueAlignmentFactors>
      source={frames}
      getValues={getValues}
      getAlignmentFactors={data.getDisplayValueAlignmentFactors}
      renderValue={({ value, width: w, height: h, alignmentFactors, count, orientation }) => (
        <BigValue
          value={value.display}
          count={count}
          sparkline={value.sparkline}
          colorMode={options.colorMode as BigValueColorMode}
          graphMode={options.graphMode as BigValueGraphMode}
          justifyMode={options.justifyMode as BigValueJustifyMode}
          textMode={options.textMode as BigValueTextMode}
          alignmentFactors={alignmentFactors}
          text={options.text as never}
          width={w}
          height={h}
          theme={theme}
          disableWideLayout={options.wideLayout === false}
          className="preview-figure"
          {...{ parentOrientation: orientation }}
        />
      )}
      width={width}
      height={height}
      itemSpacing={3}
      renderCounter={0}
      autoGrid={true}
      orientation={(options.orientation as data.VizOrientation) ?? data.VizOrientation.Auto}
      minVizWidth={options.minVizWidth as number | undefined}
      minVizHeight={options.minVizHeight as number | undefined}
    />
  );
}

function BarGaugePanel({ panel, theme, width, height }: PanelProps) {
  const options: Options = { displayMode: 'gradient', orientation: 'auto', ...panel.options };
  const frames = fieldConfigApplied(panel, theme);
  const getValues = () => displayValues(panel, options, frames, theme);
  return (
    <VizRepeater<FieldDisplay, data.DisplayValueAlignmentFactors>
      source={frames}
      getValues={getValues}
      renderValue={({ value, width: w, height: h, orientation, alignmentFactors }) => (
        <BarGauge
          value={value.display}
          field={value.field}
          orientation={orientation}
          displayMode={options.displayMode as never}
          alignmentFactors={alignmentFactors}
          width={w}
          height={h}
          theme={theme}
        />
      )}
      width={width}
      height={height}
      itemSpacing={8}
      renderCounter={0}
      orientation={(options.orientation as data.VizOrientation) ?? data.VizOrientation.Auto}
    />
  );
}

function TablePanel({ panel, theme, width, height }: PanelProps) {
  const frames = fieldConfigApplied(panel, theme);
  const frame = frames[0];
  if (!frame || frame.length === 0) return <NoData panel={panel} />;
  const options: Options = panel.options ?? {};
  return (
    <TableNG
      data={frame}
      width={width}
      height={height}
      sortBy={options.sortBy as never}
      cellHeight={options.cellHeight as never}
      noHeader={options.showHeader === false}
      fieldConfig={panelFieldConfig(panel)}
      enableVirtualization={false}
    />
  );
}

// Follows prepareGraphableFields in public/app/plugins/panel/timeseries/utils.ts: a value that is not a finite
// number (NaN from a quantile of no samples, ±Inf) is a gap, not a point uPlot would scale to.
const graphable = (frames: DataFrame[]): DataFrame[] =>
  frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === data.FieldType.number
        ? { ...field, values: field.values.map((value) => (Number.isFinite(value) ? value : null)) }
        : field,
    ),
  }));

function TimeSeriesPanel({ panel, theme, width, height, timeRange }: PanelProps) {
  const frames = graphable(fieldConfigApplied(panel, theme));
  if (!hasValues(frames)) return <NoData panel={panel} />;
  const legend: VizLegendOptions = {
    showLegend: true,
    displayMode: 'list' as VizLegendOptions['displayMode'],
    placement: 'bottom',
    calcs: [],
    ...(panel.options?.legend as Partial<VizLegendOptions> | undefined),
  };
  return (
    <TimeSeries frames={frames} width={width} height={height} timeRange={timeRange} timeZone="utc" legend={legend} />
  );
}

export const panelComponents: Record<string, (props: PanelProps) => React.JSX.Element> = {
  stat: StatPanel,
  table: TablePanel,
  timeseries: TimeSeriesPanel,
  bargauge: BarGaugePanel,
};
