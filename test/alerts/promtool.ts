/** Runs `promtool` on generated rule files and unit tests written to a temporary folder. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The promtool binary; a missing one fails the tests, it never skips them. */
export function promtool(): string {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'pipe' });
    return 'promtool';
  } catch {
    throw new Error(
      'promtool is not on the PATH: install it with `apt-get install prometheus` (Debian/Ubuntu), ' +
        'then run the tests again',
    );
  }
}

export interface PromtoolResult {
  status: number | null;
  output: string;
}

/**
 * Writes the files to a fresh temporary folder and runs `promtool <args>` there, without blocking the test worker
 * (a long synchronous run starves vitest's worker messages on a loaded machine).
 */
export async function runPromtool(files: Record<string, string>, args: string[]): Promise<PromtoolResult> {
  const binary = promtool();
  const dir = mkdtempSync(join(tmpdir(), 'flux-alerts-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return await new Promise<PromtoolResult>((resolve) => {
      execFile(binary, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, output: `${stdout}${stderr}` });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Labels = Record<string, string>;

/** An input series of a promtool unit test: labels (with `__name__`) and the expanding notation of its samples. */
export interface Series {
  labels: Labels;
  values: string;
}

export interface ExpectedAlert {
  labels: Labels;
  annotations: Labels;
}

/** One promtool test group: the series, and the alerts expected of one rule at one time (none: it must not fire). */
export interface AlertCase {
  name: string;
  series: Series[];
  alert: string;
  evalTime: string;
  expected: ExpectedAlert[];
}

function seriesText(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const matchers = Object.entries(rest).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `${name}{${matchers.join(',')}}`;
}

/** The promtool unit-test file of the cases, against `rules.yaml`, sampling and evaluating every `interval`. */
export function unitTestFile(cases: AlertCase[], interval = '1m'): string {
  return stringify(
    {
      rule_files: ['rules.yaml'],
      evaluation_interval: interval,
      tests: cases.map((testCase) => ({
        name: testCase.name,
        interval,
        input_series: testCase.series.map((series) => ({ series: seriesText(series.labels), values: series.values })),
        alert_rule_test: [
          {
            eval_time: testCase.evalTime,
            alertname: testCase.alert,
            exp_alerts: testCase.expected.map((alert) => ({
              exp_labels: alert.labels,
              exp_annotations: alert.annotations,
            })),
          },
        ],
      })),
    },
    { lineWidth: 0 },
  );
}
