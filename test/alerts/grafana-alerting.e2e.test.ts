/** The build command without a datasource uid for the Grafana-managed rules: one line, exit 2, nothing written. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('which Grafana-managed outputs the configuration asks for', () => {
  it('`npm run build` with alerts.grafana but no datasource uid exits 2 with one line and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-grafana-alerting-'));
    try {
      const configFile = join(dir, 'flux.yaml');
      writeFileSync(configFile, 'alerts:\n  grafana:\n    lokiDatasourceUid: loki\n');
      const out = join(dir, 'out');
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'cli/main.ts', 'build', '--config', configFile, '--out', out],
        { cwd: root, encoding: 'utf8' },
      );
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^error: .*flux\.yaml: alerts\.grafana lacks prometheusDatasourceUid \(uid of the Prometheus datasource/,
      );
      expect(existsSync(out)).toBe(false);
      writeFileSync(configFile, 'alerts:\n  grafana: null\n');
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'cli/main.ts', 'build', '--config', configFile, '--out', out],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect(existsSync(join(out, 'prometheus/flux-alerts.yaml'))).toBe(true);
      expect(existsSync(join(out, 'grafana-alerting'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
