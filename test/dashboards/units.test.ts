/** Every unit a panel shows is one Grafana's own `@grafana/data` formats, in every configuration of `configs.ts`. */
import { describe, expect, it } from 'vitest';
import { buildDashboards, type PanelJson } from '../../dashboards';
import { panelsOf } from '../../fixtures/fleet/grafana';
import grafana from '../../fixtures/grafana-data';
import { configMatrix } from '../configs';
import type { PanelLike } from '../helpers/render/panel';

type Panel = PanelJson & PanelLike;

describe('units and transformations Grafana knows', () => {
  const registered = new Set(
    grafana.getValueFormats().flatMap((category) => category.submenu.map((format) => format.value)),
  );
  // A custom unit Grafana formats by its prefix (e.g. `suffix:cores`), written on purpose.
  const customUnit = /^(suffix|prefix):\S/;

  describe.each(configMatrix)('$name', ({ config }) => {
    it.each(buildDashboards(config).map((json) => ({ uid: json.uid, json })))(
      "$uid: every unit is in Grafana's unit registry or a deliberate custom unit",
      ({ json }) => {
        const units = (panelsOf(json) as Panel[])
          .flatMap((panel) => [
            panel.fieldConfig?.defaults?.unit,
            ...(panel.fieldConfig?.overrides ?? []).flatMap((override) =>
              override.properties.filter((p) => p.id === 'unit').map((p) => p.value as string),
            ),
          ])
          .filter((unit): unit is string => typeof unit === 'string');
        expect(units.length).toBeGreaterThan(0);
        expect(units.filter((unit) => !registered.has(unit) && !customUnit.test(unit))).toEqual([]);
      },
    );
  });

  it('the registry check itself: no unit cores; bytes, percent and suffix:cores read as a user expects', () => {
    expect(registered.has('cores')).toBe(false);
    expect(grafana.formattedValueToString(grafana.getValueFormat('bytes')(2.5 * 1024 ** 3))).toBe('2.50 GiB');
    expect(grafana.formattedValueToString(grafana.getValueFormat('suffix:cores')(0.25, 2))).toBe('0.25 cores');
    expect(grafana.formattedValueToString(grafana.getValueFormat('percentunit')(0.4, 0))).toBe('40%');
  });
});
