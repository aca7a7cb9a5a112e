/**
 * A throw-away Prometheus over a backfilled OpenMetrics file: `promtool tsdb create-blocks-from openmetrics`, then
 * `prometheus` on a free local port with no scrape targets. The server runs in its own process group under a watchdog
 * that stops it when this process goes away, however it goes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

export interface QueryResult {
  resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  result: PromSeries[];
  /** With `stats=all`: the samples the query touched. */
  stats?: { samples?: { totalQueryableSamples?: number } };
}

export interface RangeQuery {
  start: number;
  end: number;
  step: number;
}

export interface PrometheusServer {
  url: string;
  query(expr: string, time: number, stats?: boolean): Promise<QueryResult>;
  queryRange(expr: string, range: RangeQuery, stats?: boolean): Promise<QueryResult>;
  /** `/api/v1/label/<label>/values` narrowed by a series selector, over [start, end]. */
  labelValues(label: string, match: string, start: number, end: number): Promise<string[]>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

let exitHandlerInstalled = false;
function stopAllOnExit(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) killGroup(child, 'SIGKILL');
      process.exit(130);
    });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** Turns the OpenMetrics file into TSDB blocks under `dataDir`; rejects with promtool's own message when it refuses. */
export async function backfill(openMetricsPath: string, dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', openMetricsPath, dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`promtool could not run (${error.message}): install Prometheus 2.35 or later`)));
    child.once('exit', resolve);
  });
  running.delete(child);
  if (code !== 0) throw new Error(`promtool failed to backfill ${openMetricsPath}: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log().slice(-2000)}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`prometheus was not ready after ${timeoutMs / 1000} s: ${log().slice(-2000)}`);
}

/** Starts Prometheus on the TSDB in `dataDir` (already backfilled). */
export async function startPrometheus(dataDir: string, workDir: string): Promise<PrometheusServer> {
  stopAllOnExit();
  const configPath = join(workDir, 'prometheus.yml');
  writeFileSync(configPath, 'global:\n  scrape_interval: 30s\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${dataDir}`,
    // Backfilled blocks are hours old: keep them whatever their age.
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${port}`,
    '--query.max-samples=200000000',
    '--log.level=warn',
  ];
  // The watchdog shell stops Prometheus when the test process disappears, even killed without a chance to clean up.
  const watchdog = 'prometheus "$@" & server=$!; while kill -0 "$PARENT" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done; kill "$server" 2>/dev/null; wait "$server"';
  const child = spawn('sh', ['-c', watchdog, 'watchdog', ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PARENT: String(process.pid) },
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-10_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  };
  try {
    await waitUntilReady(url, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }

  // Queries go as POST (long expressions); the label values endpoint answers GET only.
  const api = async (path: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): Promise<unknown> => {
    const body = new URLSearchParams(params);
    const response = method === 'POST' ? await fetch(`${url}${path}`, { method, body }) : await fetch(`${url}${path}?${body}`);
    const json = (await response.json()) as { status: string; data?: unknown; error?: string; errorType?: string };
    if (json.status !== 'success') throw new Error(`${path} failed: ${json.errorType ?? response.status}: ${json.error ?? ''}`);
    return json.data;
  };

  return {
    url,
    query: async (expr, time, stats = false) =>
      (await api('/api/v1/query', { query: expr, time: String(time), ...(stats ? { stats: 'all' } : {}) })) as QueryResult,
    queryRange: async (expr, range, stats = false) =>
      (await api('/api/v1/query_range', {
        query: expr, start: String(range.start), end: String(range.end), step: String(range.step), ...(stats ? { stats: 'all' } : {}),
      })) as QueryResult,
    labelValues: async (label, match, start, end) =>
      (await api(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match, start: String(start), end: String(end) }, 'GET')) as string[],
    stop,
  };
}
