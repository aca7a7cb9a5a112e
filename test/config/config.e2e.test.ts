/** The configuration through the real build command, and a legacy query under promtool: external processes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { resolveConfig } from '../../config';
import { suspendedObjects } from '../../queries/objects';
import { alertScope } from '../../queries/scope';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join(root, 'test/config/fixtures', name);
const scratch = mkdtempSync(join(tmpdir(), 'flux-dashboards-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real CLI, as a user runs it. */
function build(...args: string[]) {
  const result = spawnSync('npm', ['run', '--silent', 'build', '--', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under the folder, hidden ones included, with its bytes. */
function snapshot(folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(folder, path), readFileSync(path).toString('base64'));
    }
  };
  walk(folder);
  return files;
}

describe('legacy flavour under promtool', () => {
  it('the legacy suspended table skips deleted objects, shows Ready where a Ready series has it (promtool)', () => {
    const expr = suspendedObjects(alertScope(resolveConfig({ flavor: 'legacy', clusterLabel: null }))).expr;
    const object = (kind: string, name: string) => `kind="${kind}",exported_namespace="apps",name="${name}"`;
    const series = (metric: string, labels: string, value: number) => ({
      series: `${metric}{${labels}}`,
      values: `${value}x5`,
    });
    const ready = (kind: string, name: string, status: string, value: number) =>
      series('gotk_reconcile_condition', `${object(kind, name)},type="Ready",status="${status}"`, value);
    const tests = {
      rule_files: [],
      tests: [
        {
          interval: '1m',
          input_series: [
            series('gotk_suspend_status', object('Kustomization', 'paused'), 1),
            ready('Kustomization', 'paused', 'True', 1),
            ready('Kustomization', 'paused', 'False', 0),
            // Deleted while suspended: the suspend series stays at 1 until the controller restarts.
            series('gotk_suspend_status', object('Kustomization', 'deleted'), 1),
            ready('Kustomization', 'deleted', 'Deleted', 1),
            ready('Kustomization', 'deleted', 'True', 0),
            series('gotk_suspend_status', object('HelmRelease', 'never-ready'), 1),
            series('gotk_suspend_status', object('HelmRelease', 'running'), 0),
            ready('HelmRelease', 'running', 'True', 1),
          ],
          promql_expr_test: [
            {
              expr,
              eval_time: '3m',
              exp_samples: [
                { labels: `{${object('Kustomization', 'paused')},status="True",ready="True"}`, value: 1 },
                { labels: `{${object('HelmRelease', 'never-ready')}}`, value: 1 },
              ],
            },
          ],
        },
      ],
    };
    const file = join(scratch, 'legacy-suspended.test.yaml');
    writeFileSync(file, stringify(tests));
    const result = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('npm run build -- --config FILE --out DIR', () => {
  const previous = join(scratch, 'previous');
  mkdirSync(join(previous, 'grafana'), { recursive: true });
  writeFileSync(join(previous, 'grafana', 'flux-cluster.json'), '{"from": "an earlier build"}\n');
  writeFileSync(join(previous, 'notes.txt'), 'not ours\n');
  const unreadable = join(scratch, 'a-folder.yaml');
  mkdirSync(unreadable);

  it.each([
    [
      'wrong type',
      fixture('wrong-type.yaml'),
      'wrong-type.yaml: clusterLabel is 42; allowed: a Prometheus or Loki label name',
    ],
    [
      'unknown flavour',
      fixture('unknown-flavor.yaml'),
      'unknown-flavor.yaml: flavor is "prometheus-operator"; ' +
        'allowed: "kube-state-metrics", "legacy" or "flux-operator"',
    ],
    [
      'unknown option',
      fixture('unknown-option.yaml'),
      'unknown-option.yaml: unknown option clusterlabel; allowed options: flavor, fluxVersion, clusterLabel',
    ],
    [
      'unknown nested option',
      fixture('unknown-nested-option.yaml'),
      'unknown-nested-option.yaml: unknown option loki.appLabel; ' +
        'allowed in loki: preset, namespaceLabel, controllerLabel',
    ],
    [
      'unknown Flux release',
      fixture('unknown-flux-version.yaml'),
      'unknown-flux-version.yaml: fluxVersion is "3.0"; allowed: a Flux release from 2.0 to',
    ],
    [
      'legacy flavour on a Flux without its metrics',
      fixture('legacy-newer-flux.yaml'),
      'legacy-newer-flux.yaml: fluxVersion is "v2.6.2" but flavor "legacy" reads gotk_reconcile_condition',
    ],
    [
      'missing file',
      fixture('no-such-file.yaml'),
      'no-such-file.yaml: cannot read the configuration file: no such file',
    ],
    ['unreadable file', unreadable, 'a-folder.yaml: cannot read the configuration file: it is a folder'],
    [
      'a device that never ends',
      '/dev/zero',
      '/dev/zero: cannot read the configuration file: it is not a regular file',
    ],
    ['invalid YAML', fixture('invalid.yaml'), 'invalid.yaml: not valid YAML: '],
    ['invalid JSON', fixture('invalid.json'), 'invalid.json: not valid JSON: '],
  ])('%s: exit code 2, one line naming the problem, the output folder untouched', (_kind, file, message) => {
    const before = snapshot(previous);
    const result = build('--config', file, '--out', previous);
    expect(result.status).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(snapshot(previous)).toEqual(before);
  });

  it('an unknown flag is a usage error, exit code 2', () => {
    const result = build('--confg', fixture('multi-cluster-mimir.yaml'), '--out', previous);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/error: unknown option --confg; usage: npm run build/);
  });

  it('a valid file builds into --out with its settings', () => {
    const out = join(scratch, 'mimir');
    const result = build('--config', fixture('multi-cluster-mimir.yaml'), '--out', out);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error'))).toEqual([]);
    expect(result.status).toBe(0);
    const cluster = readFileSync(join(out, 'grafana', 'flux-cluster.json'), 'utf8');
    expect(cluster).toContain('k8s_cluster=~\\"$cluster\\"');
    expect(cluster).toContain('"Mimir"');
    expect(readdirSync(join(out, 'kube-state-metrics')).sort()).toEqual(['flux-resources.yaml']);
    expect(readdirSync(join(out, 'kube-prometheus-stack')).sort()).toEqual(['values.yaml']);
  });
});
