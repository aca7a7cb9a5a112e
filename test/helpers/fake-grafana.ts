/**
 * A local HTTP server that answers like Grafana's documented HTTP API: `/api/health`, folders, the legacy dashboard
 * API (`/api/dashboards/db`, `/api/dashboards/uid/:uid`), the `dashboard.grafana.app` resource API in the versions the
 * Grafana version serves (none before 12, `v1beta1` in 12, `v1beta1`, `v1` and `v2` from 13; a dashboard saved in one
 * model and read in the other comes back converted, and the legacy API refuses v2 ones with 406), and the alerting
 * provisioning API's rule groups (`/api/v1/provisioning/folder/:folderUid/rule-groups/:group`,
 * with provenance and `X-Disable-Provenance`), with token and basic authentication. It records every request and can
 * be told to fail.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGrafanaOptions {
  version?: string;
  token?: string;
  user?: string;
  password?: string;
  /** A Viewer may read but not write (403), as a service account with too small a role. */
  role?: 'Viewer' | 'Editor';
  namespace?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  /** The `X-Disable-Provenance` header, when sent. */
  disableProvenance?: string;
}

/** An alert rule as Grafana's provisioning API returns it. */
export interface StoredAlertRule extends Record<string, unknown> {
  id: number;
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
  provenance: string;
  updated: string;
}

/** Answer the next `times` matching requests with this instead (or never answer them). */
export interface Fault {
  method?: string;
  path: RegExp;
  times: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  hang?: boolean;
  /** Close the connection without an answer, as a proxy or a restarting Grafana does. */
  drop?: boolean;
}

/** The model a dashboard was saved in: classic JSON (legacy API, v1beta1, v1) or the v2 spec. */
export type StoredModel = 'classic' | 'v2';

interface StoredDashboard {
  /** The dashboard without the fields Grafana keeps itself. */
  spec: Record<string, unknown>;
  model: StoredModel;
  id: number;
  version: number;
  folderUid: string;
  resourceVersion: string;
  /** The version-history message of the last save. */
  message?: string;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const resourcePrefix = '/apis/dashboard.grafana.app/';

/** The dashboard API versions a Grafana major version serves. */
const servedVersions = (major: number): string[] =>
  major >= 13 ? ['v1beta1', 'v1', 'v2'] : major >= 12 ? ['v1beta1'] : [];
const modelOf = (apiVersion: string): StoredModel => (apiVersion.startsWith('v2') ? 'v2' : 'classic');

/** What Grafana's conversion keeps of a dashboard read in the other model, in a few fields: title and tags. */
function converted(stored: StoredDashboard, to: StoredModel): Record<string, unknown> {
  const { title, tags } = stored.spec;
  return to === 'v2'
    ? { title, tags, elements: {}, layout: { kind: 'GridLayout', spec: { items: [] } }, convertedFrom: 'classic' }
    : { title, tags, panels: [], convertedFrom: 'v2' };
}

const k8sStatus = (code: number, reason: string, message: string): Answer => ({
  status: code,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, message, code },
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class FakeGrafana {
  readonly requests: RecordedRequest[] = [];
  readonly folders = new Map<string, { id: number; title: string }>();
  readonly dashboards = new Map<string, StoredDashboard>();
  readonly alertRules = new Map<string, StoredAlertRule>();
  /** Evaluation interval (seconds) by `folderUid/group`. */
  readonly ruleGroupIntervals = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly readHooks = new Map<string, () => void>();
  private nextId = 1;
  private resourceVersion = 1000;
  private readonly options: Required<FakeGrafanaOptions>;
  url = '';
  private readonly server = createServer((request, response) => void this.handle(request, response));

  constructor(options: FakeGrafanaOptions = {}) {
    this.options = {
      version: '12.2.0',
      token: '',
      user: '',
      password: '',
      role: 'Editor',
      namespace: 'default',
      ...options,
    };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  fail(fault: Fault): this {
    this.faults.push(fault);
    return this;
  }

  /** Someone else saves the dashboard right after the next time it is read: the reader's copy goes stale. */
  editAfterNextRead(uid: string): this {
    this.readHooks.set(uid, () => {
      const stored = this.dashboards.get(uid)!;
      this.store(uid, { ...stored.spec, description: 'edited by someone else' }, stored.folderUid, stored.model);
    });
    return this;
  }

  /** Requests that change something. */
  writes(): RecordedRequest[] {
    return this.requests.filter((request) => request.method !== 'GET');
  }

  addFolder(title: string, uid = title.toLowerCase().replace(/[^a-z0-9]+/g, '-')): string {
    this.folders.set(uid, { id: this.nextId++, title });
    return uid;
  }

  store(
    uid: string,
    dashboard: Record<string, unknown>,
    folderUid: string,
    model: StoredModel = 'classic',
    message?: string,
  ): StoredDashboard {
    const { id: _id, version: _version, ...spec } = dashboard;
    const existing = this.dashboards.get(uid);
    const stored = {
      spec: model === 'v2' ? spec : { ...spec, uid },
      model,
      ...(message === undefined ? {} : { message }),
      id: existing?.id ?? this.nextId++,
      version: (existing?.version ?? 0) + 1,
      folderUid,
      resourceVersion: String(++this.resourceVersion),
    };
    this.dashboards.set(uid, stored);
    return stored;
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text || undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Kept as text: the handlers answer 400.
    }
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://fake');
    const disableProvenance = request.headers['x-disable-provenance'];
    this.requests.push({
      method,
      path: url.pathname + url.search,
      authorization: request.headers.authorization,
      body,
      ...(typeof disableProvenance === 'string' ? { disableProvenance } : {}),
    });

    const faultIndex = this.faults.findIndex(
      (fault) => fault.times > 0 && fault.path.test(url.pathname) && (!fault.method || fault.method === method),
    );
    if (faultIndex >= 0) {
      const fault = this.faults[faultIndex]!;
      fault.times--;
      if (fault.hang) return;
      if (fault.drop) return void request.socket.destroy();
      return this.send(response, {
        status: fault.status ?? 500,
        body: fault.body ?? { message: 'injected failure' },
        ...(fault.headers ? { headers: fault.headers } : {}),
      });
    }
    const provenance = disableProvenance === undefined ? 'api' : '';
    this.send(response, this.answer(method, url, request.headers.authorization, body, provenance));
  }

  private send(response: ServerResponse, answer: Answer) {
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  private authenticated(authorization: string | undefined): boolean {
    const { token, user, password } = this.options;
    if (!authorization) return false;
    const [scheme, value] = authorization.split(' ');
    if (scheme === 'Bearer') return Boolean(token) && value === token;
    if (scheme === 'Basic') return Boolean(user) && value === Buffer.from(`${user}:${password}`).toString('base64');
    return false;
  }

  private answer(
    method: string,
    url: URL,
    authorization: string | undefined,
    body: unknown,
    provenance: string,
  ): Answer {
    const path = url.pathname;
    if (method === 'GET' && path === '/api/health')
      return { status: 200, body: { commit: 'fake', database: 'ok', version: this.options.version } };
    const resource = path.startsWith('/apis/');
    if (!this.authenticated(authorization))
      return resource
        ? k8sStatus(401, 'Unauthorized', 'Unauthorized')
        : { status: 401, body: { message: 'Unauthorized' } };
    if (method !== 'GET' && this.options.role === 'Viewer') {
      const message =
        "You'll need additional permissions to perform this action. Permissions needed: dashboards:create";
      return resource ? k8sStatus(403, 'Forbidden', message) : { status: 403, body: { message } };
    }
    if (path === '/api/folders' && method === 'GET') {
      return {
        status: 200,
        body: [...this.folders].map(([uid, folder]) => ({ id: folder.id, uid, title: folder.title })),
      };
    }
    if (path === '/api/folders' && method === 'POST') return this.createFolder(body);
    const legacyUid = path.match(/^\/api\/dashboards\/uid\/([^/]+)$/)?.[1];
    if (legacyUid && method === 'GET') return this.legacyRead(decodeURIComponent(legacyUid));
    if (path === '/api/dashboards/db' && method === 'POST') return this.legacySave(body);
    if (path.startsWith(resourcePrefix)) return this.resource(method, path, body);
    const ruleGroup = path.match(/^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/);
    if (ruleGroup)
      return this.ruleGroup(
        method,
        decodeURIComponent(ruleGroup[1]!),
        decodeURIComponent(ruleGroup[2]!),
        body,
        provenance,
      );
    return { status: 404, body: { message: 'Not found' } };
  }

  private createFolder(body: unknown): Answer {
    if (!isObject(body) || typeof body.title !== 'string' || !body.title)
      return { status: 400, body: { message: 'folder title cannot be empty' } };
    if ([...this.folders.values()].some((folder) => folder.title === body.title)) {
      return { status: 409, body: { message: 'a folder with the same name already exists' } };
    }
    const uid = this.addFolder(body.title, typeof body.uid === 'string' ? body.uid : `folder${this.nextId}`);
    return { status: 200, body: { id: this.folders.get(uid)!.id, uid, title: body.title, version: 1 } };
  }

  private legacyRead(uid: string): Answer {
    const stored = this.dashboards.get(uid);
    if (!stored) return { status: 404, body: { message: 'Dashboard not found' } };
    if (stored.model === 'v2') {
      const use = `/apis/dashboard.grafana.app/v2/namespaces/${this.options.namespace}/dashboards/${uid}`;
      return { status: 406, body: { message: `dashboard api version not supported, use ${use} instead` } };
    }
    const answer = {
      status: 200,
      body: {
        dashboard: { ...stored.spec, id: stored.id, uid, version: stored.version },
        meta: { folderUid: stored.folderUid, version: stored.version, slug: uid, url: `/d/${uid}/${uid}` },
      },
    };
    this.afterRead(uid);
    return answer;
  }

  private legacySave(body: unknown): Answer {
    if (!isObject(body) || !isObject(body.dashboard)) return { status: 400, body: { message: 'bad request data' } };
    const dashboard = body.dashboard;
    const folderUid = typeof body.folderUid === 'string' ? body.folderUid : '';
    if (folderUid && !this.folders.has(folderUid))
      return { status: 400, body: { status: 'not-found', message: 'folder not found' } };
    const uid = typeof dashboard.uid === 'string' && dashboard.uid ? dashboard.uid : `generated${this.nextId}`;
    const existing = this.dashboards.get(uid);
    if (
      dashboard.id !== undefined &&
      dashboard.id !== null &&
      ![...this.dashboards.values()].some((stored) => stored.id === dashboard.id)
    ) {
      return { status: 404, body: { status: 'not-found', message: 'Dashboard not found' } };
    }
    const overwrite = body.overwrite === true;
    if (existing && !overwrite && dashboard.version !== existing.version) {
      return {
        status: 412,
        body: { status: 'version-mismatch', message: 'The dashboard has been changed by someone else' },
      };
    }
    const sameTitle = [...this.dashboards].find(
      ([otherUid, other]) => otherUid !== uid && other.folderUid === folderUid && other.spec.title === dashboard.title,
    );
    if (sameTitle) {
      if (!overwrite)
        return {
          status: 412,
          body: { status: 'name-exists', message: 'A dashboard with the same name in the folder already exists' },
        };
      this.dashboards.delete(sameTitle[0]);
    }
    const message = typeof body.message === 'string' ? body.message : undefined;
    const stored = this.store(uid, dashboard, folderUid, 'classic', message);
    return {
      status: 200,
      body: { id: stored.id, uid, url: `/d/${uid}/${uid}`, status: 'success', version: stored.version, slug: uid },
    };
  }

  private resourceOf(uid: string, stored: StoredDashboard, apiVersion: string) {
    const model = modelOf(apiVersion);
    return {
      apiVersion: `dashboard.grafana.app/${apiVersion}`,
      kind: 'Dashboard',
      metadata: {
        name: uid,
        namespace: this.options.namespace,
        uid: `k8s-${stored.id}`,
        resourceVersion: stored.resourceVersion,
        generation: stored.version,
        annotations: { 'grafana.app/folder': stored.folderUid },
      },
      spec: stored.model === model ? stored.spec : converted(stored, model),
    };
  }

  private resource(method: string, path: string, body: unknown): Answer {
    const [apiVersion, namespacesWord, namespace, collection, name, ...rest] = path
      .slice(resourcePrefix.length)
      .split('/');
    const served = servedVersions(Number(this.options.version.split('.')[0])).includes(apiVersion!);
    if (
      !served ||
      namespacesWord !== 'namespaces' ||
      namespace !== this.options.namespace ||
      collection !== 'dashboards' ||
      rest.length > 0
    ) {
      return { status: 404, body: '404 page not found' };
    }
    const model = modelOf(apiVersion!);
    const notFound = (uid: string) => k8sStatus(404, 'NotFound', `dashboards.dashboard.grafana.app "${uid}" not found`);
    if (method === 'GET' && name) {
      const stored = this.dashboards.get(name);
      if (!stored) return notFound(name);
      const answer = { status: 200, body: this.resourceOf(name, stored, apiVersion!) };
      this.afterRead(name);
      return answer;
    }
    if ((method === 'POST' && !name) || (method === 'PUT' && name)) {
      if (!isObject(body) || !isObject(body.metadata) || !isObject(body.spec))
        return k8sStatus(400, 'BadRequest', 'the request body must have metadata and spec');
      const uid = body.metadata.name;
      if (typeof uid !== 'string' || !uid) return k8sStatus(400, 'BadRequest', 'metadata.name is required');
      if (name && uid !== name) return k8sStatus(400, 'BadRequest', `metadata.name "${uid}" does not match "${name}"`);
      if ('id' in body.spec)
        return k8sStatus(400, 'BadRequest', 'spec.id is not allowed: the resource API keeps identity in metadata');
      if (body.apiVersion !== `dashboard.grafana.app/${apiVersion}`)
        return k8sStatus(400, 'BadRequest', `apiVersion must be dashboard.grafana.app/${apiVersion}`);
      const v2Shape = isObject(body.spec.elements) && isObject(body.spec.layout);
      if ((model === 'v2') !== v2Shape) return k8sStatus(400, 'BadRequest', `the spec is not a ${model} dashboard`);
      const annotations = isObject(body.metadata.annotations) ? body.metadata.annotations : {};
      const folderUid = typeof annotations['grafana.app/folder'] === 'string' ? annotations['grafana.app/folder'] : '';
      if (folderUid && !this.folders.has(folderUid))
        return k8sStatus(400, 'BadRequest', `folder "${folderUid}" not found`);
      const existing = this.dashboards.get(uid);
      if (method === 'POST' && existing)
        return k8sStatus(409, 'AlreadyExists', `dashboards.dashboard.grafana.app "${uid}" already exists`);
      if (method === 'PUT' && !existing) return notFound(uid);
      const resourceVersion = body.metadata.resourceVersion;
      if (existing && resourceVersion !== undefined && resourceVersion !== existing.resourceVersion) {
        return k8sStatus(
          409,
          'Conflict',
          `Operation cannot be fulfilled on dashboards.dashboard.grafana.app "${uid}": the object has been ` +
            `modified; please apply your changes to the latest version and try again`,
        );
      }
      const message = annotations['grafana.app/message'];
      const stored = this.store(uid, body.spec, folderUid, model, typeof message === 'string' ? message : undefined);
      return { status: method === 'POST' ? 201 : 200, body: this.resourceOf(uid, stored, apiVersion!) };
    }
    return k8sStatus(405, 'MethodNotAllowed', `${method} is not allowed here`);
  }

  /** A rule someone else put there, e.g. from a provisioning file (`provenance: file`). */
  addAlertRule(
    rule: Partial<StoredAlertRule> & { uid: string; folderUID: string; ruleGroup: string },
    interval = 60,
  ): StoredAlertRule {
    const stored = {
      title: rule.uid,
      provenance: '',
      ...rule,
      id: this.nextId++,
      updated: '2026-08-07T10:00:00Z',
    } as StoredAlertRule;
    this.alertRules.set(rule.uid, stored);
    this.ruleGroupIntervals.set(`${rule.folderUID}/${rule.ruleGroup}`, interval);
    return stored;
  }

  rulesOf(folderUid: string, group: string): StoredAlertRule[] {
    return [...this.alertRules.values()].filter((rule) => rule.folderUID === folderUid && rule.ruleGroup === group);
  }

  /** GET and PUT of a rule group as documented: PUT replaces the group's rules, creating, updating and deleting. */
  private ruleGroup(method: string, folderUid: string, group: string, body: unknown, provenance: string): Answer {
    const groupKey = `${folderUid}/${group}`;
    if (method === 'GET') {
      const rules = this.rulesOf(folderUid, group);
      if (!rules.length) return { status: 404, body: { message: 'rule group does not exist' } };
      return { status: 200, body: { title: group, folderUid, interval: this.ruleGroupIntervals.get(groupKey), rules } };
    }
    if (method !== 'PUT') return { status: 405, body: { message: 'method not allowed' } };
    if (!this.folders.has(folderUid)) return { status: 404, body: { message: `folder ${folderUid} not found` } };
    if (!isObject(body) || !Array.isArray(body.rules) || typeof body.interval !== 'number' || body.interval <= 0) {
      return { status: 400, body: { message: 'invalid rule group: rules and a positive interval are required' } };
    }
    if (body.title !== group || (body.folderUid !== undefined && body.folderUid !== folderUid)) {
      return { status: 400, body: { message: 'the group title and folder must match the path' } };
    }
    const rules = body.rules as Array<Record<string, unknown>>;
    for (const rule of rules) {
      const problem = ruleProblem(rule, folderUid, group);
      if (problem) return { status: 400, body: { message: `invalid alert rule: ${problem}` } };
      const existing = this.alertRules.get(rule.uid as string);
      if (existing && existing.provenance !== '' && existing.provenance !== provenance) {
        return {
          status: 400,
          body: { message: `cannot change provenance from '${existing.provenance}' to '${provenance}'` },
        };
      }
    }
    for (const stored of this.rulesOf(folderUid, group)) {
      if (
        stored.provenance !== '' &&
        stored.provenance !== provenance &&
        !rules.some((rule) => rule.uid === stored.uid)
      ) {
        return {
          status: 400,
          body: { message: `cannot delete rule ${stored.uid} with provenance '${stored.provenance}'` },
        };
      }
    }
    for (const stored of this.rulesOf(folderUid, group))
      if (!rules.some((rule) => rule.uid === stored.uid)) this.alertRules.delete(stored.uid);
    for (const rule of rules) {
      const existing = this.alertRules.get(rule.uid as string);
      // As Grafana's PreSave: model defaults filled in, the model's queryType copied onto the query.
      rule.data = (rule.data as Array<Record<string, unknown>>).map((query) => {
        const model: Record<string, unknown> = { intervalMs: 1000, maxDataPoints: 43200, ...(query.model as object) };
        return { ...query, queryType: typeof model.queryType === 'string' ? model.queryType : '', model };
      });
      // Grafana keeps `for` as a duration and answers it in Prometheus' notation (24h → 1d, 0m → 0s).
      rule.for = prometheusDuration(rule.for as string);
      this.alertRules.set(
        rule.uid as string,
        { ...rule, id: existing?.id ?? this.nextId++, provenance, updated: '2026-08-07T12:00:00Z' } as StoredAlertRule,
      );
    }
    this.ruleGroupIntervals.set(groupKey, body.interval);
    return {
      status: 200,
      body: { title: group, folderUid, interval: body.interval, rules: this.rulesOf(folderUid, group) },
    };
  }

  private afterRead(uid: string) {
    const hook = this.readHooks.get(uid);
    if (!hook) return;
    this.readHooks.delete(uid);
    hook();
  }
}

export const startFakeGrafana = (options: FakeGrafanaOptions = {}) => new FakeGrafana(options).start();

/** What Grafana's rule validation rejects; undefined when the rule may be saved. */
function ruleProblem(rule: Record<string, unknown>, folderUid: string, group: string): string | undefined {
  if (typeof rule.uid !== 'string' || !/^[a-zA-Z0-9-_]{1,40}$/.test(rule.uid)) return `uid ${String(rule.uid)}`;
  if (typeof rule.title !== 'string' || !rule.title) return 'title is required';
  if (rule.folderUID !== folderUid || rule.ruleGroup !== group)
    return `${rule.uid}: folderUID and ruleGroup must match the group`;
  if (!Array.isArray(rule.data) || rule.data.length === 0) return `${rule.uid}: no queries`;
  if (!(rule.data as Array<Record<string, unknown>>).some((query) => query.refId === rule.condition))
    return `${rule.uid}: condition ${String(rule.condition)} is no query`;
  if (typeof rule.for !== 'string' || !/^(\d+[smh])+$/.test(rule.for)) return `${rule.uid}: for ${String(rule.for)}`;
  if (!['OK', 'Alerting', 'NoData', 'KeepLast'].includes(rule.noDataState as string)) return `${rule.uid}: noDataState`;
  if (!['OK', 'Alerting', 'Error', 'KeepLast'].includes(rule.execErrState as string))
    return `${rule.uid}: execErrState`;
  return undefined;
}

/** A duration as Prometheus' model.Duration prints it: largest units first, `0s` for zero. */
function prometheusDuration(text: string): string {
  const units: Array<[string, number]> = [
    ['y', 31_536_000],
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const scale: Record<string, number> = Object.fromEntries(units);
  let seconds = [...text.matchAll(/(\d+)([ywdhms])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * scale[unit!]!, 0);
  if (seconds === 0) return '0s';
  let out = '';
  for (const [unit, size] of units) {
    if (seconds >= size) {
      out += `${Math.floor(seconds / size)}${unit}`;
      seconds %= size;
    }
  }
  return out;
}
