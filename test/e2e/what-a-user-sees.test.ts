/**
 * What a user sees, in every configuration of `configs.ts`: each table and stat panel drawn against a fleet served by
 * a real Prometheus, its result turned into frames, transformed and formatted by Grafana's own `@grafana/data`, and
 * the headers, cells, colours and figures compared with what the fleet holds.
 */
import { describe, expect, it } from 'vitest';
import type { DataFrame } from '@grafana/data';
import { buildDashboards, type DashboardJson, type PanelJson } from '../../dashboards';
import { defaultFleetOptions, fleetReport, visibleObjects, type Fleet } from '../../fixtures/fleet/fleet';
import { controllerExpectations, keysOf, mayBeEmpty, statExpectations } from '../../fixtures/fleet/expectations';
import { panelsOf, resolveVariables, type TimeRange } from '../../fixtures/fleet/grafana';
import { drawPanel, type DrawContext, type Drawing } from '../helpers/render/draw';
import grafana, { theme } from '../../fixtures/grafana-data';
import { applyFieldConfig, tableView, transform, type PanelLike, type TableView } from '../helpers/render/panel';
import { catalogue } from '../../model/catalogue';
import { drawnConfigs, drawnFleetKey, drawnRange, panelsToDraw } from './fleets';
import { servedFleet, servedFleetEnd } from './served';

const scrapeInterval = defaultFleetOptions.scrapeInterval;
const end = servedFleetEnd();
const range: TimeRange = { from: end - drawnRange, to: end };

type Panel = PanelJson & PanelLike;

const fleetOf = (index: number) => servedFleet(drawnFleetKey(drawnConfigs[index]!));

const red = theme.visualization.getColorByName('red');
const green = theme.visualization.getColorByName('green');
/** A Ready cell's colour by its text, as a user reads a traffic light. */
const readyColour: Record<string, string> = {
  False: red,
  True: green,
  Unknown: theme.visualization.getColorByName('yellow'),
};

/** Reads a stat's text back into a number, knowing the unit: the text must look as a user expects for that unit. */
const unitTexts: Record<string, { pattern: RegExp; scale: Record<string, number> }> = {
  short: { pattern: /^(\d+(?:\.\d+)?)(?: (K|Mil|Bil))?$/, scale: { '': 1, K: 1e3, Mil: 1e6, Bil: 1e9 } },
  opm: { pattern: /^(\d+(?:\.\d+)?)(K|M|B)? ops\/m$/, scale: { '': 1, K: 1e3, M: 1e6, B: 1e9 } },
  reqps: { pattern: /^(\d+(?:\.\d+)?)(K|M|B)? req\/s$/, scale: { '': 1, K: 1e3, M: 1e6, B: 1e9 } },
  percentunit: { pattern: /^(\d+(?:\.\d+)?)(%)$/, scale: { '%': 0.01 } },
  bytes: {
    pattern: /^(\d+(?:\.\d+)?) (B|KiB|MiB|GiB|TiB)$/,
    scale: { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 },
  },
  s: {
    pattern: /^(\d+(?:\.\d+)?) (ms|s|mins|hours|days)$/,
    scale: { ms: 0.001, s: 1, mins: 60, hours: 3600, days: 86_400 },
  },
};

/** The number a text shows and how far the true value may be from it (half its last digit). */
function readBack(unit: string, text: string): { value: number; tolerance: number } {
  const reading = unitTexts[unit];
  if (!reading) throw new Error(`no reading of unit ${unit}: add it to unitTexts`);
  const match = reading.pattern.exec(text);
  if (!match) throw new Error(`"${text}" does not read as ${unit} (${reading.pattern})`);
  const scale = reading.scale[match[2] ?? '']!;
  const digits = match[1]!.split('.')[1]?.length ?? 0;
  return { value: Number(match[1]) * scale, tolerance: 0.5 * 10 ** -digits * scale };
}

/** Every field name and label name of the datasource's frames: what a header must not show raw. */
const rawNames = (frames: DataFrame[]) =>
  new Set(frames.flatMap((frame) => frame.fields.flatMap((field) => [field.name, ...Object.keys(field.labels ?? {})])));

const column = (table: TableView, header: string) => {
  const index = table.headers.indexOf(header);
  if (index < 0) throw new Error(`no column ${header} in ${table.headers.join(', ')}`);
  return table.rows.map((row) => row[index]!);
};

/** `cluster|kind|namespace|name` of each row of an objects table. */
function rowKeys(table: TableView, hasCluster: boolean): string[] {
  const cells = (header: string) => column(table, header).map((cell) => cell.text);
  const [kinds, namespaces, names] = [cells('Kind'), cells('Namespace'), cells('Name')];
  const clusters = hasCluster ? cells('Cluster') : kinds.map(() => '');
  return kinds.map((kind, index) => [clusters[index], kind, namespaces[index], names[index]].join('|'));
}

/** The refIds of a panel's targets whose value is an info metric's 1 (read, not counted). */
function infoTargets(panel: Panel): Set<string> {
  const info = Object.entries(catalogue)
    .filter(([, metric]) => metric.type === 'info')
    .map(([metric]) => metric);
  const reads = (expr: string) =>
    info.some((metric) => new RegExp(`\\b${metric}\\b`).test(expr)) && !/\bcount\b/.test(expr);
  return new Set(
    (panel.targets ?? []).filter((target) => reads(String(target.expr))).map((target) => String(target.refId)),
  );
}

const infoMark = 424_242;

/** The frames with every info value replaced by a mark a cell would show. */
function markInfoValues(panel: Panel, frames: DataFrame[]): DataFrame[] {
  const info = infoTargets(panel);
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === 'number' && info.has(frame.refId ?? '')
        ? { ...field, values: field.values.map(() => infoMark) }
        : field,
    ),
  }));
}

const shownTable = async (panel: Panel, frames: DataFrame[]) =>
  tableView(panel, applyFieldConfig(panel, await transform(panel, frames)));

/** Frames compared by what they hold: field names, types and values. */
const frameContent = (frames: DataFrame[]) =>
  JSON.stringify(frames.map((frame) => frame.fields.map((field) => [field.name, field.type, [...field.values]])));

drawnConfigs.forEach(({ name, config }, index) => {
  const dashboards = buildDashboards(config);
  const drawings = new Map<string, Promise<Drawing>>();
  /** Each panel is drawn once per configuration; the tests share the drawing. */
  const draw = (dashboard: DashboardJson, panel: Panel) => {
    const key = `${dashboard.uid} / ${panel.id}`;
    if (!drawings.has(key)) {
      drawings.set(
        key,
        (async () => {
          const { prometheus } = fleetOf(index);
          const context: DrawContext = {
            prometheus,
            variables: await resolveVariables(dashboard, prometheus, range),
            range,
            scrapeInterval,
          };
          return drawPanel(panel, context);
        })(),
      );
    }
    return drawings.get(key)!;
  };
  const find = (uid: string, title: string) => {
    const dashboard = dashboards.find((d) => d.uid === uid)!;
    const panel = (panelsOf(dashboard) as Panel[]).find(
      (p) => p.title === title && (p.type === 'table' || p.type === 'stat'),
    );
    if (!panel) throw new Error(`${uid} has no table or stat "${title}"`);
    return { dashboard, panel };
  };
  const fleet = (): Fleet => fleetOf(index).fleet;
  const hasCluster = config.clusterLabel !== null;

  describe(`what a user sees: ${name}`, () => {
    for (const { dashboard, panel, name: panelName } of panelsToDraw<Panel>(dashboards)) {
      if (panel.type === 'table') {
        it(`${panelName}: one table, human headers, rows, no column of info values`, async () => {
          const { frames, table } = await draw(dashboard, panel);
          const excuse = mayBeEmpty(config, panel.title as string, String(panel.targets?.[0]?.expr ?? ''));
          if (excuse) return expect(table!.rows, excuse).toEqual([]);
          expect(table!.frames, 'frames the table offers').toBe(1);
          expect(table!.rows.length).toBeGreaterThan(0);
          const raw = rawNames(frames);
          for (const header of table!.headers) {
            expect(header, 'a raw value column').not.toMatch(/^Value( #[A-Z])?$/);
            expect(raw.has(header), `header "${header}" is a raw label or field name`).toBe(false);
          }
          expect(new Set(table!.headers).size, `repeated header in ${table!.headers.join(', ')}`).toBe(
            table!.headers.length,
          );
          // An info metric's value (always 1) marked in the frames must not reach any cell.
          const marked = await shownTable(panel, markInfoValues(panel, frames));
          expect(
            marked.rows.flat().filter((cell) => cell.text === String(infoMark)),
            "a column shows an info metric's value",
          ).toEqual([]);
          if (table!.headers.includes('Ready')) {
            const wrong = column(table!, 'Ready').filter(
              (cell) => cell.text in readyColour && cell.colour !== readyColour[cell.text],
            );
            expect(wrong, 'Ready cells in another colour than False red, True green, Unknown yellow').toEqual([]);
          }
        });

        it(`${panelName}: every transformation is Grafana's and changes the frames`, async () => {
          const { frames } = await draw(dashboard, panel);
          const transformations = panel.transformations ?? [];
          let before = frames;
          for (const [step, transformation] of transformations.entries()) {
            expect(
              grafana.standardTransformersRegistry.getIfExists(transformation.id),
              transformation.id,
            ).toBeDefined();
            const after = await transform({ ...panel, transformations: [transformation] }, before);
            expect(frameContent(after), `transformation ${step + 1} (${transformation.id}) does nothing`).not.toBe(
              frameContent(before),
            );
            before = after;
          }
        });
      } else {
        it(`${panelName}: one figure per cluster, titled by it, in the panel's unit`, async () => {
          const { frames, stat } = await draw(dashboard, panel);
          const unit = panel.fieldConfig?.defaults?.unit ?? 'short';
          const numbers = frames.flatMap((frame) =>
            frame.fields
              .filter((field) => field.type === 'number')
              .map((field) => ({
                cluster: config.clusterLabel ? (field.labels?.[config.clusterLabel] ?? '') : '',
                value: field.values.at(-1) as number,
              })),
          );
          if (numbers.length === 0) {
            expect(
              stat!.values.map((value) => value.text),
              'a stat with no series shows its noValue',
            ).toEqual([panel.fieldConfig?.defaults?.noValue ?? 'No data']);
            return;
          }
          expect(stat!.values.length).toBe(numbers.length);
          for (const [position, shown] of stat!.values.entries()) {
            const truth = numbers[position]!;
            if (numbers.length > 1) expect(shown.title, 'a figure names its cluster').toBe(truth.cluster);
            const { value, tolerance } = readBack(unit, shown.text);
            expect(Math.abs(value - truth.value), `"${shown.text}" shows ${truth.value}`).toBeLessThanOrEqual(
              tolerance * 1.0001,
            );
          }
        });
      }
    }

    it('Failing objects lists exactly the failing objects, sorted by kind, under human headers', async () => {
      const { dashboard, panel } = find('flux-cluster', 'Failing objects');
      const { table } = await draw(dashboard, panel);
      const failing = visibleObjects(fleet()).filter((object) => object.ready === 'False');
      // The legacy metrics carry no reason, source or revision: those columns are left out, not shown empty.
      const details = config.flavor === 'legacy' ? [] : ['Reason', 'Source', 'Revision'];
      // The bounded table's count of objects past its bound: empty, as the fleet is smaller than the bound.
      const headers = [...(hasCluster ? ['Cluster'] : []), 'Kind', 'Namespace', 'Name', ...details, 'Not listed'];
      expect(table!.headers).toEqual(headers);
      expect(column(table!, 'Not listed').every((cell) => cell.text === '')).toBe(true);
      expect([...rowKeys(table!, hasCluster)].sort()).toEqual(keysOf(config, failing));
      const kinds = column(table!, 'Kind').map((cell) => cell.text);
      expect(kinds).toEqual([...kinds].sort((a, b) => a.localeCompare(b)));
      if (config.flavor !== 'legacy') {
        const reasons = new Set(column(table!, 'Reason').map((cell) => cell.text));
        expect([...reasons].sort()).toEqual([...new Set(failing.map((object) => object.readyReason))].sort());
      }
    });

    it('Readiness lists every object with a Ready condition, failing first in red, ready ones green', async () => {
      const { dashboard, panel } = find('flux-cluster', 'Readiness');
      const { table } = await draw(dashboard, panel);
      const live = visibleObjects(fleet()).filter((object) => object.ready !== null);
      expect([...rowKeys(table!, hasCluster)].sort()).toEqual(keysOf(config, live));
      const ready = column(table!, 'Ready');
      const firstNotFailing = ready.findIndex((cell) => cell.text !== 'False');
      expect(firstNotFailing, 'failing rows come first').toBe(live.filter((object) => object.ready === 'False').length);
      expect(ready.slice(0, firstNotFailing).every((cell) => cell.text === 'False' && cell.colour === red)).toBe(true);
      expect(ready.filter((cell) => cell.text === 'True').every((cell) => cell.colour === green)).toBe(true);
    });

    it("Objects by kind shows each kind's counts as the fleet holds them, a kind with none showing 0", async () => {
      const { dashboard, panel } = find('flux-cluster', 'Objects by kind');
      const { table } = await draw(dashboard, panel);
      const headers = ['Total', 'Ready', 'Not ready', 'Reconciling', 'Suspended'] as const;
      expect(table!.headers).toEqual([...(hasCluster ? ['Cluster'] : []), 'Kind', ...headers]);
      const states = {
        Total: 'total',
        Ready: 'ready',
        'Not ready': 'notReady',
        Reconciling: 'unknown',
        Suspended: 'suspended',
      } as const;
      const shown: Record<string, string[]> = {};
      const kinds = column(table!, 'Kind').map((cell) => cell.text);
      const clusters = hasCluster ? column(table!, 'Cluster').map((cell) => cell.text) : kinds.map(() => '');
      kinds.forEach(
        (kind, row) => (shown[`${clusters[row]}|${kind}`] = headers.map((header) => column(table!, header)[row]!.text)),
      );
      const expected: Record<string, string[]> = {};
      for (const [cluster, byKind] of Object.entries(fleetReport(fleet(), visibleObjects(fleet())))) {
        for (const [kind, counts] of Object.entries(byKind)) {
          expected[`${hasCluster ? cluster : ''}|${kind}`] = headers.map((header) => String(counts[states[header]]));
        }
      }
      expect(shown).toEqual(expected);
    });

    it('the count stats show what the fleet holds, failing counts red when above 0', async () => {
      const checks = [
        ...Object.entries(statExpectations(config, fleet())).map(([title, counts]) => ({
          uid: 'flux-cluster',
          title,
          counts,
        })),
        ...Object.entries(controllerExpectations(config, fleet())).map(([title, counts]) => ({
          uid: 'flux-control-plane',
          title,
          counts,
        })),
      ];
      for (const { uid, title, counts } of checks) {
        const { dashboard, panel } = find(uid, title);
        const { stat } = await draw(dashboard, panel);
        const clusters = Object.keys(counts).sort();
        const expected =
          clusters.length === 0
            ? [{ title: '', text: '0' }]
            : clusters.map((cluster) => ({
                title: clusters.length > 1 ? cluster : expect.any(String),
                text: String(counts[cluster]),
              }));
        const shown = [...stat!.values].sort((a, b) => a.title.localeCompare(b.title));
        expect(
          shown.map(({ title: t, text }) => ({ title: t, text })),
          title,
        ).toEqual(expected);
        const steps = panel.fieldConfig?.defaults?.thresholds?.steps ?? [];
        if (steps.at(-1)?.color === 'red') {
          for (const value of stat!.values)
            expect(value.colour, `${title} ${value.text}`).toBe(Number(value.text) > 0 ? red : green);
        }
      }
    });
  });
});
