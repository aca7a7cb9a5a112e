/**
 * Every dashboard drawn in headless Chromium by Grafana's own components (preview/), on the pictures' fleet with
 * every row open: each panel renders without an error, shows data or its "no data" text, stays inside its box, its
 * legend fits, its table's headers are the human titles @grafana/data gives. The committed pictures are current.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '@grafana/data';
import { openPreviewBrowser, type PreviewBrowser } from '../../preview/browser';
import { shownPanels, type ShownPanel } from '../../preview/inspect';
import { flavours, pictures, servePictureFleets, type PictureFleets } from '../../preview/pictures';
import type { Scene, ScenePanel } from '../../preview/scene';
import { undrawableTypes } from '../../preview/scene-of';
import { applyFieldConfig, tableView, type PanelLike } from '../helpers/render/panel';

const picturesDir = resolve(import.meta.dirname, '../../docs/pictures');
/** Remaking a picture may change this share of its pixels (font smoothing), no more. */
const pixelTolerance = 0.005;
/** Remade on every run: one dark and one light, one of tables and stats, one of time series. */
const checkedPictures = ['flux-cluster-default-dark.png', 'flux-control-plane-flux-operator-light.png'];

let browser: PreviewBrowser;
let fleets: PictureFleets;
const drawn = new Map<string, Promise<{ scene: Scene; shown: ShownPanel[] }>>();

beforeAll(async () => {
  [browser, fleets] = await Promise.all([openPreviewBrowser(), servePictureFleets()]);
});

afterAll(async () => {
  await browser?.close();
  await fleets?.stop();
});

/** Each dashboard drawn once, every row open. */
function draw(flavour: (typeof flavours)[number]['name'], uid: string) {
  const key = `${flavour} ${uid}`;
  if (!drawn.has(key)) {
    drawn.set(
      key,
      (async () => {
        const scene = await fleets.scene({ file: '', flavour, uid, theme: 'dark', open: true });
        return { scene, shown: await browser.draw(scene, shownPanels) };
      })(),
    );
  }
  return drawn.get(key)!;
}

/** A table has rows to show; a chart or stat has numbers. */
const hasValues = (panel: ScenePanel) =>
  panel.frames.some(
    (frame) => frame.length > 0 && (panel.type === 'table' || frame.fields.some((field) => field.type === 'number')),
  );

const noValueText = (panel: ScenePanel) => (panel.fieldConfig?.defaults?.noValue as string | undefined) ?? 'No data';

const uids = [...new Set(pictures.map((picture) => picture.uid))];

for (const { name: flavour } of flavours) {
  describe(`the dashboards in a browser: ${flavour}`, () => {
    for (const uid of uids) {
      it(`${uid}: every panel drawn without an error, with data or its no-data text`, async () => {
        const { scene, shown } = await draw(flavour, uid);
        expect(shown.map((panel) => panel.title)).toEqual(scene.panels.map((panel) => panel.title));
        for (const [index, panel] of scene.panels.entries()) {
          const seen = shown[index]!;
          const where = `${uid} / ${panel.title}`;
          expect(seen.problem, `${where}: query failed`).toBeUndefined();
          expect(seen.thrown, `${where}: a component threw`).toBeUndefined();
          if (panel.row) continue;
          if (panel.placeholder) {
            expect(Object.keys(undrawableTypes), where).toContain(panel.type);
            expect(seen.placeholder, where).toBe(undrawableTypes[panel.type]);
            continue;
          }
          expect(seen.state, where).toBe('drawn');
          if (panel.type === 'stat') {
            expect(seen.figures.length, `${where}: figures`).toBeGreaterThan(0);
            if (!hasValues(panel)) expect(seen.figures.join(' '), where).toContain(noValueText(panel));
          } else if (hasValues(panel)) {
            expect(seen.noData, `${where} has data yet says so`).toBeUndefined();
            if (panel.type === 'table') expect(seen.tableRows, `${where}: rows`).toBeGreaterThan(0);
            if (panel.type === 'timeseries') expect(seen.plotted, `${where}: plotted`).toBe(true);
          } else {
            expect(seen.noData, `${where}: no series, so its no-data text`).toBe(noValueText(panel));
          }
        }
      });

      it(`${uid}: no panel's content leaves its box, and every legend fits`, async () => {
        const { shown } = await draw(flavour, uid);
        for (const seen of shown) {
          expect(seen.overflowing, `${uid} / ${seen.title}: drawn outside the panel`).toEqual([]);
          if (!seen.legend) continue;
          const { box, items, scrollWidth, clientWidth } = seen.legend;
          expect(items.length, `${uid} / ${seen.title}: legend items`).toBeGreaterThan(0);
          const within = box.left >= seen.box.left && box.right <= seen.box.right + 1;
          expect(within, `${uid} / ${seen.title}: legend wider than the panel`).toBe(true);
          expect(box.bottom, `${uid} / ${seen.title}: legend below the panel`).toBeLessThanOrEqual(seen.box.bottom + 1);
          expect(scrollWidth, `${uid} / ${seen.title}: legend wider than its box`).toBeLessThanOrEqual(clientWidth + 1);
        }
      });

      it(`${uid}: every table shows the human titles @grafana/data gives its columns`, async () => {
        const { scene, shown } = await draw(flavour, uid);
        for (const [index, panel] of scene.panels.entries()) {
          if (panel.type !== 'table' || !hasValues(panel)) continue;
          const frames = panel.frames as unknown as DataFrame[];
          const expected = tableView(panel as PanelLike, applyFieldConfig(panel as PanelLike, frames)).headers;
          expect(shown[index]!.headers, `${uid} / ${panel.title}`).toEqual(expected);
          const raw = new Set(frames.flatMap((frame) => frame.fields.map((field) => field.name)));
          for (const header of expected) {
            expect(header, `${uid} / ${panel.title}: a raw value column`).not.toMatch(/^Value( #[A-Z])?$/);
            if (raw.has(header)) expect(header, `${panel.title}: a raw label as header`).toMatch(/^[A-Z]/);
          }
        }
      });
    }
  });
}

describe('the committed pictures', () => {
  it('are every picture npm run pictures makes, and no other, under 10 MB together', () => {
    const files = readdirSync(picturesDir).filter((file) => file.endsWith('.png')).sort();
    expect(files).toEqual(pictures.map((picture) => picture.file).sort());
    const bytes = files.reduce((sum, file) => sum + statSync(join(picturesDir, file)).size, 0);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });

  for (const file of checkedPictures) {
    it(`${file} is current: remaking it changes at most ${pixelTolerance * 100}% of its pixels`, async () => {
      const picture = pictures.find((candidate) => candidate.file === file)!;
      const remade = await browser.screenshot(await fleets.scene(picture));
      const difference = await browser.compare(readFileSync(join(picturesDir, file)), remade);
      expect(difference.sizes[1], `${file}: run npm run pictures`).toBe(difference.sizes[0]);
      const changed = `${file}: ${difference.differing} pixels changed; run npm run pictures`;
      expect(difference.share, changed).toBeLessThanOrEqual(pixelTolerance);
    });
  }

  it('docs/pictures.md names every panel type the preview cannot draw', () => {
    const page = readFileSync(resolve(import.meta.dirname, '../../docs/pictures.md'), 'utf8');
    for (const type of Object.keys(undrawableTypes)) expect(page, type).toContain(`\`${type}\``);
  });
});
