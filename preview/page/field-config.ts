/** Field config as the panel plugins apply it in Grafana: the standard properties, each panel type's custom ones. */
import * as data from '@grafana/data';
import type { DataFrame, FieldConfigPropertyItem, FieldConfigSource, GrafanaTheme2, ScopedVars } from '@grafana/data';
import { standardFieldConfigProperties } from '../../fixtures/field-config';
import type { FrameJson, ScenePanel } from '../scene';

// Follows defaultGraphConfig in public/app/plugins/panel/timeseries/config.ts (the options the panel starts with).
const timeSeriesCustomDefaults = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  showPoints: 'auto',
  pointSize: 5,
  spanNulls: false,
  insertNulls: false,
  axisPlacement: 'auto',
  axisColorMode: 'text',
  axisBorderShow: false,
  axisCenteredZero: false,
  barAlignment: 0,
  stacking: { mode: 'none', group: 'A' },
  thresholdsStyle: { mode: 'off' },
  scaleDistribution: { type: 'linear' },
  hideFrom: { legend: false, tooltip: false, viz: false },
};

/** The colour mode each panel type starts with (its plugin's standard options). */
const defaultColor: Record<string, data.FieldColor> = {
  timeseries: { mode: data.FieldColorModeId.PaletteClassic },
  bargauge: { mode: data.FieldColorModeId.Thresholds },
  stat: { mode: data.FieldColorModeId.Thresholds },
  table: { mode: data.FieldColorModeId.Thresholds },
};

/** The panel's field config with its plugin's defaults under what the dashboard sets. */
export function panelFieldConfig(panel: ScenePanel): FieldConfigSource {
  const defaults = (panel.fieldConfig?.defaults ?? {}) as FieldConfigSource['defaults'];
  const custom = panel.type === 'timeseries' ? { ...timeSeriesCustomDefaults, ...defaults.custom } : defaults.custom;
  return {
    defaults: { color: defaultColor[panel.type], ...defaults, ...(custom ? { custom } : {}) },
    overrides: (panel.fieldConfig?.overrides ?? []) as FieldConfigSource['overrides'],
  };
}

/** The custom options the field config names: kept as written (identity), as each plugin's own options are. */
function customProperties(config: FieldConfigSource): Array<Partial<FieldConfigPropertyItem>> {
  const paths = new Set(Object.keys(config.defaults.custom ?? {}));
  for (const override of config.overrides) {
    for (const property of override.properties) {
      if (property.id.startsWith('custom.')) paths.add(property.id.slice('custom.'.length));
    }
  }
  return [...paths].map((path) => ({
    id: `custom.${path}`,
    path,
    isCustom: true,
    process: data.identityOverrideProcessor,
    shouldApply: () => true,
  }));
}

/**
 * Grafana's template replacement for what a field's config may hold: `${__field.labels.name}` (a display name made of
 * the series' labels), read from the field the override is applied to; any other text unchanged.
 */
export const replaceVariables = (text: string, scopedVars?: ScopedVars) =>
  text.replace(/\$\{__field\.labels\.(\w+)\}/g, (whole, name: string) => {
    // applyFieldOverrides hands the field in `__dataContext`, as Grafana's template service reads it.
    const context = scopedVars?.__dataContext?.value as { field?: { labels?: Record<string, string> } } | undefined;
    return context?.field?.labels?.[name] ?? whole;
  });

export const frameOf = (frame: FrameJson): DataFrame => frame as unknown as DataFrame;

/** The panel's frames with its field config applied, as Grafana's query runner hands them to the panel. */
export function fieldConfigApplied(panel: ScenePanel, theme: GrafanaTheme2): DataFrame[] {
  const fieldConfig = panelFieldConfig(panel);
  const registry = new data.FieldConfigOptionsRegistry(() =>
    [...standardFieldConfigProperties(data), ...customProperties(fieldConfig)].map(
      (item) =>
        ({ name: item.id, override: undefined, editor: undefined, ...item }) as unknown as FieldConfigPropertyItem,
    ),
  );
  const frames = data.applyFieldOverrides({
    data: panel.frames.map(frameOf),
    fieldConfig,
    fieldConfigRegistry: registry,
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
  // Each field's title worked out once and kept in its state, where the table and legend read it.
  for (const frame of frames) for (const field of frame.fields) data.getFieldDisplayName(field, frame, frames);
  return frames;
}
