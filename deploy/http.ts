/** Requests to Grafana with authentication, a timeout, bounded retries, and errors that never carry a secret. */

export type Credentials = { kind: 'token'; token: string } | { kind: 'basic'; user: string; password: string };

export type GrafanaErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'rejected'
  | 'invalid-response';

/** Errors that end the whole run: nothing after them can succeed with the same server and credentials. */
export const fatalKinds: ReadonlySet<GrafanaErrorKind> = new Set([
  'unreachable', 'timeout', 'unauthorized', 'forbidden',
]);

export class GrafanaError extends Error {
  constructor(
    readonly kind: GrafanaErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GrafanaError';
  }
}

export interface RetryPolicy {
  /** Further attempts after the first, for a dropped connection, a timeout, 429 and 5xx: what may pass later. */
  retries: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  backoffMs: number;
  /** Upper bound of any one wait, Retry-After included. */
  maxDelayMs: number;
}

export interface HttpOptions {
  baseUrl: URL;
  credentials: Credentials;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Injected so that tests do not wait for real backoff. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

interface RequestOptions {
  body?: unknown;
  /** `/api/health` answers without credentials. */
  anonymous?: boolean;
  /** Treat 404 as an answer (`status: 404`) instead of an error. */
  allowNotFound?: boolean;
  /** Further request headers (`X-Disable-Provenance`). */
  headers?: Record<string, string>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function authorizationHeader(credentials: Credentials): string {
  return credentials.kind === 'token'
    ? `Bearer ${credentials.token}`
    : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
}

/** The strings that must never be printed: the token or password, and the header that encodes them. */
export function secretsOf(credentials: Credentials): string[] {
  const header = authorizationHeader(credentials).split(' ')[1]!;
  return credentials.kind === 'token' ? [credentials.token, header] : [credentials.password, header];
}

/** Replaces every secret in the text; secrets shorter than 4 characters would mangle ordinary words and are left. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length >= 4).reduce((out, secret) => out.split(secret).join('***'), text);
}

/** Where the request went, without credentials or query string: safe to print. */
export const describeUrl = (url: URL) => `${url.origin}${url.pathname}`;

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Grafana answers `{message}`, its resource API a Kubernetes `Status` with `message` and `reason`. */
function serverMessage(body: unknown): string {
  if (body && typeof body === 'object') {
    const { message, status, reason, kind } = body as Record<string, unknown>;
    // A Kubernetes Status says `status: Failure` on every error: its `reason` is what tells them apart.
    const label = kind === 'Status' ? undefined : status;
    const detail = [label, reason, message]
      .map((part) => (typeof part === 'string' ? part : undefined))
      .filter(Boolean)
      .join(': ');
    if (detail) return detail.slice(0, 300);
  }
  // A proxy's or another application's error page says nothing useful here, and would fill the terminal.
  if (typeof body === 'string' && /^\s*</.test(body)) return 'an HTML page: is the URL Grafana\'s?';
  if (typeof body === 'string' && body.trim()) return body.trim().split('\n')[0]!.slice(0, 300);
  return 'no details';
}

export class GrafanaHttp {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly secrets: string[];

  constructor(private readonly options: HttpOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.secrets = secretsOf(options.credentials);
  }

  /** Hides the credentials in any text that may reach the output. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  url(path: string): URL {
    const base = this.options.baseUrl;
    return new URL(`${base.pathname.replace(/\/+$/, '')}${path}`, base.origin);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.url(path);
    const where = `${method} ${describeUrl(url)}`;
    const { retries, backoffMs, maxDelayMs } = this.options.retry;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      const backoff = Math.min(maxDelayMs, backoffMs * 2 ** attempt);
      let response: HttpResponse & { retryAfter: string | null };
      try {
        response = await this.send(method, url, options);
      } catch (error) {
        const problem = networkProblem(error, url, this.options.timeoutMs);
        if (problem.transient && !last) {
          await this.sleep(backoff);
          continue;
        }
        const attempts = problem.transient ? ` (${attempt + 1} attempts)` : '';
        const kind = problem.timedOut ? 'timeout' : 'unreachable';
        throw new GrafanaError(kind, this.redact(`cannot reach Grafana: ${where}: ${problem.reason}${attempts}`));
      }
      const { status, body } = response;
      if (status === 429 || status >= 500) {
        if (!last) {
          await this.sleep(Math.min(maxDelayMs, retryAfterMs(response.retryAfter) ?? backoff));
          continue;
        }
        const kind = status === 429 ? 'rate-limited' : 'server-error';
        const answered = `${where} answered ${status} (${serverMessage(body)}) after ${attempt + 1} attempts`;
        throw new GrafanaError(kind, this.redact(answered), status);
      }
      if (status >= 200 && status < 300) return { status, body };
      if (status === 404 && options.allowNotFound) return { status, body };
      throw this.failure(where, status, body);
    }
  }

  private failure(where: string, status: number, body: unknown): GrafanaError {
    const detail = serverMessage(body);
    const say = (kind: GrafanaErrorKind, text: string) =>
      new GrafanaError(kind, this.redact(`${where}: ${text} (${status}: ${detail})`), status);
    const who = this.options.credentials.kind === 'token' ? 'GRAFANA_TOKEN' : 'GRAFANA_USER / GRAFANA_PASSWORD';
    if (status === 401) return say('unauthorized', `Grafana rejected the credentials: check ${who}`);
    if (status === 403) {
      const needed = 'dashboards:write, alert.rules:write and folders:create';
      const advice = `give the service account the Editor role, or ${needed}`;
      return say('forbidden', `the credentials lack permission: ${advice}`);
    }
    if (status === 409 || status === 412) return say('conflict', 'conflict');
    if (status === 404) return say('not-found', 'not found');
    return say('rejected', 'rejected');
  }

  private async send(method: string, url: URL, options: RequestOptions) {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (!options.anonymous) headers.authorization = authorizationHeader(this.options.credentials);
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: controller.signal,
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Proxies answer errors in HTML: keep the text for the message.
      }
      return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Socket errors a later attempt may not meet: the connection dropped, timed out, or a name lookup failed for now. */
const transientCodes = new Set([
  'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

export interface NetworkProblem {
  /** Retrying may help; otherwise the same request fails the same way, and the run says so at once. */
  transient: boolean;
  timedOut: boolean;
  /** What went wrong and what to check, in a few words. */
  reason: string;
}

/**
 * What a failed fetch means: fetch wraps the socket error in `cause`, whose code (ECONNREFUSED, ENOTFOUND…) or
 * message ("bad port", "redirect count exceeded") says what happened; a header it refuses is a TypeError of its own.
 */
export function networkProblem(error: unknown, url: URL, timeoutMs: number): NetworkProblem {
  const permanent = (reason: string): NetworkProblem => ({ transient: false, timedOut: false, reason });
  if (error instanceof Error && error.name === 'AbortError') {
    return { transient: true, timedOut: true, reason: `no answer within ${timeoutMs} ms` };
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  if (code && transientCodes.has(code)) return { transient: true, timedOut: false, reason: code };
  if (code === 'ECONNREFUSED') {
    const advice = 'check --url and that Grafana runs';
    return permanent(`connection refused (ECONNREFUSED): nothing listens at ${url.host}; ${advice}`);
  }
  if (code === 'ENOTFOUND') return permanent(`unknown host ${url.hostname} (ENOTFOUND): check --url`);
  if (/bad port/i.test(message)) {
    const advice = 'serve Grafana on another port';
    return permanent(`port ${url.port} is one that fetch never connects to ("bad port"): ${advice}`);
  }
  if (/redirect count exceeded/i.test(message)) {
    return permanent('the server redirects in a loop (redirect count exceeded): check --url, its scheme and path');
  }
  if (/header/i.test(message) && /invalid/i.test(message)) {
    return permanent('a request header is invalid: GRAFANA_TOKEN, GRAFANA_USER or GRAFANA_PASSWORD holds a line break');
  }
  return permanent(code ?? message);
}
