/**
 * Reading a Prometheus (or Mimir, Thanos) and a Loki over HTTP: basic auth, a bearer token and a tenant header for
 * both, one deadline for the whole command, and every failure turned into an `InspectError` of one line that names
 * the URL and what to do.
 */

/** How to reach one server. */
export interface Endpoint {
  url: string;
  /** `user:password` for basic auth. */
  basicAuth?: string;
  bearerToken?: string;
  /** The tenant (`X-Scope-OrgID`) of a Mimir, Cortex or multi-tenant Loki. */
  tenant?: string;
}

/** Bad input or an unreachable server: the command stops with this line and exit code 2. */
export class InspectError extends Error {
  override name = 'InspectError';
}

/** The header a multi-tenant Mimir, Cortex or Loki reads the tenant from. */
export const tenantHeader = 'X-Scope-OrgID';

export interface Deadline {
  /** Milliseconds left; the whole command shares them. */
  remaining(): number;
  seconds: number;
}

export function deadlineOf(seconds: number, now = Date.now): Deadline {
  const end = now() + seconds * 1000;
  return { seconds, remaining: () => Math.max(0, end - now()) };
}

function headersOf(endpoint: Endpoint): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (endpoint.basicAuth) headers.Authorization = `Basic ${Buffer.from(endpoint.basicAuth).toString('base64')}`;
  if (endpoint.bearerToken) headers.Authorization = `Bearer ${endpoint.bearerToken}`;
  if (endpoint.tenant) headers[tenantHeader] = endpoint.tenant;
  return headers;
}

/** The URL checked once, before any request: a clear line for `localhost:9090` or `ftp://…`. */
export function checkedUrl(flag: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InspectError(`--${flag} is not a URL: "${text}"; give e.g. --${flag} http://prometheus:9090`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InspectError(`--${flag} must be an http or https URL, not "${text}"`);
  }
  return text.replace(/\/+$/, '');
}

const formType = 'application/x-www-form-urlencoded';
const exampleUrl = { Loki: 'http://loki:3100', Prometheus: 'http://prometheus:9090' } as const;

type Answer = { status?: string; data?: unknown; error?: string; errorType?: string };

/** GETs `path` and returns the JSON `data` of a Prometheus- or Loki-style answer; every failure one line. */
export async function getJson(
  endpoint: Endpoint, what: 'Prometheus' | 'Loki', path: string, params: Record<string, string>, deadline: Deadline,
  method: 'GET' | 'POST' = 'GET',
): Promise<unknown> {
  const remaining = deadline.remaining();
  const late = `${what} at ${endpoint.url} did not answer within --timeout ${deadline.seconds} s`;
  if (remaining <= 0) throw new InspectError(`${late}; give a larger --timeout`);
  const query = new URLSearchParams(params);
  const url = method === 'GET' ? `${endpoint.url}${path}?${query}` : `${endpoint.url}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...headersOf(endpoint), ...(method === 'POST' ? { 'Content-Type': formType } : {}) },
      ...(method === 'POST' ? { body: query } : {}),
      signal: AbortSignal.timeout(remaining),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new InspectError(`${late}; give a larger --timeout`);
    const cause = ((error as { cause?: { code?: string; message?: string } }).cause);
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new InspectError(`cannot reach ${what} at ${endpoint.url} (${reason}); check the URL and that it is running`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new InspectError(`${what} at ${endpoint.url} refused the credentials (HTTP ${response.status}); ` +
      'check --basic-auth, --bearer-token or --tenant');
  }
  const text = await response.text();
  let answer: Answer;
  try {
    answer = JSON.parse(text) as Answer;
  } catch {
    throw new InspectError(`${endpoint.url}${path} answered HTTP ${response.status} without JSON: ` +
      `is ${endpoint.url} a ${what}? (give its base URL, e.g. ${exampleUrl[what]})`);
  }
  if (what === 'Loki' && answer.status === undefined && response.ok) return answer;
  if (answer.status !== 'success') {
    const detail = (answer.error ?? text).split('\n')[0]!.slice(0, 200);
    if (response.status === 404) {
      throw new InspectError(`${endpoint.url}${path} is not found (HTTP 404): is ${endpoint.url} a ${what}?`);
    }
    throw new InspectError(`${what} at ${endpoint.url} refused ${path} (HTTP ${response.status}): ${detail}`);
  }
  return answer.data;
}

/** `--at`: RFC 3339 or Unix seconds; now when not given. */
export function parseTime(text: string | undefined, now = Date.now()): number {
  if (text === undefined) return Math.floor(now / 1000);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  const parsed = Date.parse(text);
  if (!rfc3339.test(text) || Number.isNaN(parsed)) {
    throw new InspectError(`--at is "${text}"; give RFC 3339 (2026-03-01T12:00:00Z) or Unix seconds (1772366400)`);
  }
  return parsed / 1000;
}
