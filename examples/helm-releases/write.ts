/**
 * `npx tsx examples/helm-releases/write.ts [out-folder]`: writes the dashboard's JSON, ready for
 * `npm run deploy -- --dir`.
 */
import { join, resolve } from 'node:path';
import { toJsonFile, writeArtifacts } from 'flux-dashboards/build';
import { resolveConfig } from 'flux-dashboards/config';
import { dashboardFile, defaultOutDir } from 'flux-dashboards/model';
import { helmReleasesDashboardJson } from './dashboard';

const outDir = resolve(process.argv[2] ?? join(defaultOutDir, 'examples'));
const dashboard = helmReleasesDashboardJson(resolveConfig({ clusterLabel: null }));
writeArtifacts(outDir, new Map([[dashboardFile(dashboard), toJsonFile(dashboard)]]));
console.log(`wrote ${join(outDir, dashboardFile(dashboard))}`);
