/**
 * A stand-in for Loki's label and series APIs over the Flux log entries a pipeline writes: `/loki/api/v1/labels`,
 * `/label/<name>/values`, `/series` and `/detected_fields`, answering as Loki's HTTP API documents them (labels,
 * values and series `{"status":"success","data":…}`; detected fields
 * `{"fields":[{label,type,cardinality,parsers}],…}` with `parsers` null for structured metadata).
 * Selectors are equality matchers only, all the commands send.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fluxLogEntries, type LogEntry, type LogPipeline } from '../../fixtures/fleet/flux-logs';

export interface LokiStandIn {
  url: string;
  /** Requests answered, by path, for the tests to see what was asked. */
  requests: string[];
  stop(): Promise<void>;
}

export interface StandInOptions {
  pipeline: LogPipeline;
  namespace?: string;
  cluster?: string;
  /** When set, requests without this X-Scope-OrgID are refused with 401. */
  tenant?: string;
}

function matches(selector: string, stream: Record<string, string>): boolean {
  const matchers = [...selector.matchAll(/(\w+)\s*=\s*"([^"]*)"/g)];
  return matchers.every(([, label, value]) => stream[label!] === value);
}

function detectedFields(entries: LogEntry[]) {
  const fields = new Map<string, { values: Set<string>; parsers: string[] | null }>();
  const add = (label: string, value: string, parsers: string[] | null) => {
    const field = fields.get(label) ?? { values: new Set<string>(), parsers };
    field.values.add(value);
    fields.set(label, field);
  };
  for (const entry of entries) {
    for (const [label, value] of Object.entries(entry.metadata)) add(label, value, null);
    if (!entry.line.startsWith('{')) continue;
    for (const [label, value] of Object.entries(JSON.parse(entry.line) as Record<string, unknown>)) {
      if (typeof value === 'string') add(label, value, ['json']);
    }
  }
  return [...fields].map(([label, field]) => ({
    label, type: 'string', cardinality: field.values.size, parsers: field.parsers,
  }));
}

export async function startLokiStandIn(options: StandInOptions): Promise<LokiStandIn> {
  const entries = fluxLogEntries(options.pipeline, {
    namespace: options.namespace ?? 'flux-system', ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  const streams = [...new Map(entries.map((entry) => [JSON.stringify(entry.stream), entry.stream])).values()];
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://loki');
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (options.tenant && request.headers['x-scope-orgid'] !== options.tenant) {
      response.writeHead(401);
      response.end('no org id');
      return;
    }
    const path = url.pathname;
    if (path === '/loki/api/v1/labels') {
      return send(200, { status: 'success', data: [...new Set(streams.flatMap((s) => Object.keys(s)))].sort() });
    }
    const values = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
    if (values) {
      const name = decodeURIComponent(values[1]!);
      return send(200, { status: 'success', data: [...new Set(streams.map((s) => s[name]).filter(Boolean))].sort() });
    }
    if (path === '/loki/api/v1/series') {
      const selectors = url.searchParams.getAll('match[]');
      return send(200, { status: 'success', data: streams.filter((s) => selectors.some((m) => matches(m, s))) });
    }
    if (path === '/loki/api/v1/detected_fields') {
      const query = url.searchParams.get('query') ?? '{}';
      return send(200, { fields: detectedFields(entries.filter((e) => matches(query, e.stream))), limit: 1000 });
    }
    send(404, { status: 'error', error: `404 page not found: ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
