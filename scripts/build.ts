/**
 * `npm run build [-- --config FILE] [-- --out DIR]`: writes the dashboards, scrape configuration, alert rules and
 * packaging into the output folder (`defaultOutDir`, or DIR). The configuration is checked before anything is written.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, resolveConfig, type ConfigInput } from '../config';
import { defaultOutDir } from '../model/outputs';
import { renderArtifacts } from './artifacts';
import { writeArtifacts } from './write-output';

const usage = 'usage: npm run build -- [--config FILE.yaml|FILE.json] [--out DIR]';

/** Exit code of a configuration or usage error, distinct from 1 (a crash). */
const badInput = 2;

function options(): { config?: string; out: string } {
  try {
    const { values, positionals } = parseArgs({
      options: { config: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length > 1 || (positionals.length === 1 && values.out)) {
      throw new Error(`unexpected argument ${positionals.at(-1)}`);
    }
    // A lone positional argument is the output folder, as before --out existed.
    return { config: values.config, out: values.out ?? positionals[0] ?? defaultOutDir };
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split('. ')[0]}; ${usage}`);
  }
}

try {
  const { config: configFile, out } = options();
  const input: ConfigInput = configFile ? loadConfigFile(configFile) : {};
  const outDir = resolve(out);
  const artifacts = renderArtifacts(resolveConfig(input));
  writeArtifacts(outDir, artifacts);
  console.log(`wrote ${artifacts.size} files to ${outDir}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(badInput);
}
