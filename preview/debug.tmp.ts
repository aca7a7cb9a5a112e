import { writeFileSync } from 'node:fs';
import { servePictureFleets, pictures } from './pictures';
import { openPreviewBrowser } from './browser';
const fleets = await servePictureFleets();
const browser = await openPreviewBrowser();
try {
  for (const file of (process.argv[2] ?? 'flux-cluster-default-dark.png').split(',')) {
    const scene = await fleets.scene(pictures.find((p) => p.file === file)!);
    writeFileSync('/tmp/pic-' + file, await browser.screenshot(scene));
    const out = await browser.draw(scene, async (page) => page.evaluate(() => [...document.querySelectorAll('[data-panel-title]')].map((el) => `${el.getAttribute('data-panel-title')}: rows ${el.querySelectorAll('[role=row]').length} headers ${[...el.querySelectorAll('[role=columnheader]')].map((h) => h.textContent).join(',')}`)));
    console.log(out.join('\n'));
  }
} finally { await browser.close(); await fleets.stop(); }
