/**
 * The table of docs/kubernetes.md listing the API version of each Flux kind that the kube-state-metrics configuration
 * watches, by release, made from `model/flux-releases.ts`: `npx tsx scrape/releases-table.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fluxReleases, kindApisOf, type FluxRelease } from '../model/flux-releases';

export const releasesTableStart = '<!-- flux-releases-table -->';
export const releasesTableEnd = '<!-- /flux-releases-table -->';

const rowName = ({ kind, group }: { kind: string; group: string }) =>
  `${kind} (${group.replace('.toolkit.fluxcd.io', '')})`;

/** Each release's cells: the version of every kind any release serves, `–` where it has none. */
function columnOf(release: FluxRelease, rows: string[]): string[] {
  const apis = kindApisOf(release);
  return rows.map((row) => apis.find((api) => rowName(api) === row)?.version ?? '–');
}

export function releasesTable(): string {
  // In the model's order, which the newest release lists every kind in.
  const rows = [...new Set([...fluxReleases].reverse().flatMap((release) => kindApisOf(release).map(rowName)))];
  // Neighbouring releases that serve the same versions share a column (`2.4–2.5`).
  const columns: Array<{ first: FluxRelease; last: FluxRelease; cells: string[] }> = [];
  for (const release of fluxReleases) {
    const cells = columnOf(release, rows);
    const previous = columns.at(-1);
    if (previous && previous.cells.join() === cells.join()) previous.last = release;
    else columns.push({ first: release, last: release, cells });
  }
  const heading = columns.map(({ first, last }) => (first === last ? first : `${first}–${last}`));
  return [
    `| kind | ${heading.join(' | ')} |`,
    `|---|${columns.map(() => '---|').join('')}`,
    ...rows.map((row, index) => `| ${row} | ${columns.map((column) => column.cells[index]).join(' | ')} |`),
  ].join('\n');
}

export const kubernetesPagePath = fileURLToPath(new URL('../docs/kubernetes.md', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = readFileSync(kubernetesPagePath, 'utf8');
  const start = page.indexOf(releasesTableStart);
  const end = page.indexOf(releasesTableEnd);
  if (start < 0 || end < start) throw new Error(`${kubernetesPagePath} lacks ${releasesTableStart}`);
  const table = `${releasesTableStart}\n${releasesTable()}\n`;
  writeFileSync(kubernetesPagePath, `${page.slice(0, start)}${table}${page.slice(end)}`);
  console.log(`wrote the releases table of ${kubernetesPagePath}`);
}
