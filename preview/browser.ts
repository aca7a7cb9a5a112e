/**
 * Headless Chromium (Debian's, never one downloaded by npm) driven by playwright-core: loads the preview page, bundled
 * by esbuild from page/, draws scenes in it, and takes their screenshots or reads back what each panel shows.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { gridBox, type Scene } from './scene';

/** Where Debian's `chromium` package puts the browser; CHROMIUM names another. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Nothing reaches out: no network services, no updates, no first-run pages. */
const chromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--font-render-hinting=none', '--force-color-profile=srgb',
];

let bundled: Promise<string> | undefined;

/** The page's address: answered by the driver itself, never looked up (.invalid is a reserved name). */
const pageUrl = 'http://flux-preview.invalid/';

/** The page as one HTML document: the bundle and its styles (the Inter font inlined) written into it. */
export function previewHtml(): Promise<string> {
  bundled ??= esbuild
    .build({
      entryPoints: [resolve(import.meta.dirname, 'page/main.tsx')],
      bundle: true,
      write: false,
      outdir: 'preview-bundle',
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      // The code editor's icon font (bundled with @grafana/ui, unused here) is left out.
      loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl', '.ttf': 'empty' },
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    })
    .then(({ outputFiles }) => {
      const text = (extension: string) =>
        outputFiles.filter((file) => file.path.endsWith(extension)).map((file) => file.text).join('\n');
      // A `</script>` inside the bundle would end the element early.
      const script = text('.js').replace(/<\/script/gi, '<\\/script');
      return [
        '<!doctype html><html><head><meta charset="utf-8"><style>',
        text('.css'),
        pageStyle,
        '</style></head><body><div id="root"></div><script>',
        script,
        '</script></body></html>',
      ].join('');
    });
  return bundled;
}

/** The page's own layout: the grid, row headers, placeholders (Grafana's app styles these, not @grafana/ui). */
const pageStyle = `
body { margin: 0; }
.preview-dashboard { padding: 16px; box-sizing: content-box; }
.preview-header { display: flex; flex-direction: column; gap: 8px; margin-bottom: 16px; }
.preview-header h1 { margin: 0; font-weight: 500; }
.preview-variables { display: flex; flex-wrap: wrap; gap: 8px; font-size: 12px; }
.preview-variable { border: 1px solid; border-radius: 2px; padding: 4px 8px; }
.preview-grid { position: relative; }
.preview-panel { position: absolute; box-sizing: border-box; }
.preview-row { display: flex; align-items: center; gap: 8px; height: 100%; font-weight: 500; }
.preview-row-count { font-weight: 400; font-size: 12px; }
.preview-content { overflow: hidden; }
.preview-placeholder { box-sizing: border-box; height: 100%; border: 1px dashed; border-radius: 2px; display: flex;
  flex-direction: column; align-items: center; justify-content: center; gap: 4px; font-size: 12px; text-align: center;
  padding: 8px; }
.preview-no-data, .preview-error { height: 100%; display: flex; align-items: center; justify-content: center; }
`;

/** The page's height: the header (title and variables) and the grid's lowest panel. */
const sceneHeight = (scene: Scene) =>
  120 + Math.max(0, ...scene.panels.map((panel) => {
    const box = gridBox(panel.gridPos, scene.width);
    return box.top + box.height;
  }));

/** How two pictures differ, pixel by pixel, as the browser decodes them. */
export interface PictureDifference {
  sizes: [string, string];
  /** Pixels whose red, green, blue or alpha differ by more than `channelTolerance`. */
  differing: number;
  share: number;
}

/** A channel may differ this much (of 255) before its pixel counts as changed: font smoothing, not content. */
export const channelTolerance = 32;

export interface PreviewBrowser {
  /** Compares two PNG pictures in the page (no image library needed in Node). */
  compare(a: Buffer, b: Buffer): Promise<PictureDifference>;
  /** Draws the scene and returns its screenshot (PNG). */
  screenshot(scene: Scene): Promise<Buffer>;
  /** Draws the scene and hands the page to `read`. */
  draw<T>(scene: Scene, read: (page: Page) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPreviewBrowser(): Promise<PreviewBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM to one`,
    );
  }
  const html = await previewHtml();
  const profile = mkdtempSync(join(tmpdir(), 'flux-preview-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumFlags,
      viewport: { width: 1280, height: 800 },
      deviceScaleFactor: 1,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`Chromium at ${chromiumPath} did not start: ${(error as Error).message.split('\n')[0]}`);
  }
  // The page has an origin of its own (Grafana's code reads localStorage, which about:blank refuses) and reaches
  // nothing else: every other request is refused.
  await context.route('**/*', (route) =>
    route.request().url() === pageUrl
      ? route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' })
      : route.abort('blockedbyclient'),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const draw = async <T>(scene: Scene, read: (page: Page) => Promise<T>): Promise<T> => {
    problems.length = 0;
    // The whole dashboard in the viewport: the table draws only the rows it finds on screen.
    await page.setViewportSize({ width: scene.width + 32, height: sceneHeight(scene) });
    await page.goto(pageUrl, { waitUntil: 'load' });
    if (problems.length) throw new Error(`the preview page did not load: ${problems.join('; ')}`);
    await page.evaluate((drawn) => window.drawScene(drawn), scene);
    if (problems.length) throw new Error(`the preview page failed drawing ${scene.uid}: ${problems.join('; ')}`);
    return read(page);
  };
  const compare = async (a: Buffer, b: Buffer): Promise<PictureDifference> => {
    await page.goto(pageUrl, { waitUntil: 'load' });
    return page.evaluate(
      async ({ pictures, tolerance }) => {
        const decoded = await Promise.all(
          pictures.map(async (base64) => {
            const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
            const context = canvas.getContext('2d')!;
            context.drawImage(bitmap, 0, 0);
            return context.getImageData(0, 0, bitmap.width, bitmap.height);
          }),
        );
        const [first, second] = decoded as [ImageData, ImageData];
        const sizes: [string, string] = [`${first.width}x${first.height}`, `${second.width}x${second.height}`];
        if (sizes[0] !== sizes[1]) return { sizes, differing: first.width * first.height, share: 1 };
        let differing = 0;
        for (let index = 0; index < first.data.length; index += 4) {
          for (let channel = 0; channel < 4; channel++) {
            if (Math.abs(first.data[index + channel]! - second.data[index + channel]!) > tolerance) {
              differing++;
              break;
            }
          }
        }
        return { sizes, differing, share: differing / (first.width * first.height) };
      },
      { pictures: [a.toString('base64'), b.toString('base64')], tolerance: channelTolerance },
    );
  };
  return {
    compare,
    draw,
    screenshot: (scene) => draw(scene, (drawn) => drawn.screenshot({ fullPage: true, animations: 'disabled' })),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
