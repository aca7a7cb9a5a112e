/** `npx tsx examples/helm-releases/write.ts [out-folder]`: writes grafana/flux-helm-releases.json, ready for `npm run deploy -- --dir`. */
import { resolve } from 'node:path';
import { writeArtifacts, toJsonFile } from 'flux-dashboards/build';
import { resolveConfig } from 'flux-dashboards/config';
import { helmReleasesDashboardJson } from './dashboard';

const outDir = resolve(process.argv[2] ?? 'dist/examples');
const dashboard = helmReleasesDashboardJson(resolveConfig({ clusterLabel: null }));
writeArtifacts(outDir, new Map([[`grafana/${dashboard.uid}.json`, toJsonFile(dashboard)]]));
console.log(`wrote ${outDir}/grafana/${dashboard.uid}.json`);
