/** `npm run build`: writes the dashboards (and everything else the package ships) into dist/. */
import { resolve } from 'node:path';
import { resolveConfig } from '../config';
import { renderArtifacts } from './artifacts';
import { writeArtifacts } from './write-output';

const outDir = resolve(process.argv[2] ?? 'dist');
const artifacts = renderArtifacts(resolveConfig());
writeArtifacts(outDir, artifacts);
console.log(`wrote ${artifacts.size} files to ${outDir}`);
