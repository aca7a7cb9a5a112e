/**
 * `npm run pictures`: remakes docs/pictures/ (see docs/pictures.md) and says which panels the preview could not draw
 * with Grafana's components. `npm run pictures -- flux-cluster` remakes only the pictures whose file names contain it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openPreviewBrowser } from '../preview/browser';
import { pictures, servePictureFleets } from '../preview/pictures';

const outDir = resolve(import.meta.dirname, '../docs/pictures');

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const chosen = pictures.filter((picture) => picture.file.includes(filter));
  if (chosen.length === 0) throw new Error(`no picture's file name contains "${filter}"`);
  const browser = await openPreviewBrowser();
  const fleets = await servePictureFleets().catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  try {
    mkdirSync(outDir, { recursive: true });
    const notDrawn = new Map<string, Set<string>>();
    for (const picture of chosen) {
      const scene = await fleets.scene(picture);
      for (const panel of scene.panels.filter((candidate) => candidate.placeholder || candidate.error !== undefined)) {
        const what = panel.placeholder ? `${panel.type} (placeholder)` : `${panel.type} (error: ${panel.error})`;
        notDrawn.set(what, (notDrawn.get(what) ?? new Set()).add(`${picture.uid} / ${panel.title}`));
      }
      const png = await browser.screenshot(scene);
      writeFileSync(join(outDir, picture.file), png);
      console.log(`${picture.file}  ${Math.round(png.length / 1024)} KiB`);
    }
    for (const [what, panels] of notDrawn) {
      console.log(`not drawn by Grafana's components: ${what}: ${[...panels].join(', ')}`);
    }
  } finally {
    await browser.close();
    await fleets.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
