/**
 * The logs dashboard's LogQL, run over real Flux log lines: there is no Loki here, so a small evaluator of the
 * pipeline stages the queries use (line filters, `json` with renames, label regex filters) stands in for it.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config';
import { logs, logsScope } from '../queries';

const { logFields } = logs;
import { fluxLogLines, ordinaryLines, reconciliationFailureLines } from './fleet/flux-logs';

type Stage =
  | { type: 'contains'; text: string }
  | { type: 'matches'; regex: RegExp }
  | { type: 'json'; fields: Record<string, string> }
  | { type: 'label'; label: string; op: '=~' | '!~' | '=' | '!='; value: string };

const quoted = '"((?:[^"\\\\]|\\\\.)*)"';
const unquote = (text: string) => JSON.parse(`"${text}"`) as string;

/** The stages of a log query's pipeline, after its stream selector; anything else is an error, not a skip. */
function parsePipeline(query: string): Stage[] {
  const selector = /^[^{]*\{[^}]*\}\s*/.exec(query);
  if (!selector) throw new Error(`no stream selector in ${query}`);
  let rest = query.slice(selector[0].length).replace(/\s*\[\$__auto\]\)+$/, '');
  const stages: Stage[] = [];
  const patterns: Array<[RegExp, (m: RegExpExecArray) => Stage]> = [
    [new RegExp(`^\\|=\\s*${quoted}\\s*`), (m) => ({ type: 'contains', text: unquote(m[1]!) })],
    [new RegExp(`^\\|~\\s*${quoted}\\s*`), (m) => ({ type: 'matches', regex: new RegExp(unquote(m[1]!)) })],
    [
      /^\|\s*json\s+((?:\w+="[^"]*"(?:,\s*)?)+)\s*/,
      (m) => ({ type: 'json', fields: Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((f) => [f[1]!, f[2]!])) }),
    ],
    [
      new RegExp(`^\\|\\s*(\\w+)\\s*(=~|!~|!=|=)\\s*${quoted}\\s*`),
      (m) => ({ type: 'label', label: m[1]!, op: m[2] as '=~', value: unquote(m[3]!) }),
    ],
  ];
  while (rest.length) {
    const match = patterns.map(([pattern, make]) => [pattern.exec(rest), make] as const).find(([m]) => m);
    if (!match) throw new Error(`the evaluator does not know the stage at: ${rest}`);
    const [m, make] = match;
    stages.push(make(m!));
    rest = rest.slice(m![0].length);
  }
  return stages;
}

/** The line's labels after the pipeline, or undefined when a stage drops it. */
function evaluate(stages: Stage[], line: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const stage of stages) {
    if (stage.type === 'contains' && !line.includes(stage.text)) return undefined;
    if (stage.type === 'matches' && !stage.regex.test(line)) return undefined;
    if (stage.type === 'json') {
      const object = JSON.parse(line) as Record<string, unknown>;
      for (const [label, field] of Object.entries(stage.fields)) {
        const value = object[field];
        if (typeof value === 'string') labels[label] = value;
      }
    }
    if (stage.type === 'label') {
      const value = labels[stage.label] ?? '';
      // LogQL label regexes match the whole value.
      const matches = stage.op === '=~' || stage.op === '!~' ? new RegExp(`^(?:${stage.value})$`).test(value) : value === stage.value;
      if (matches !== (stage.op === '=~' || stage.op === '=')) return undefined;
    }
  }
  return labels;
}

const config = resolveConfig({});
const scope = logsScope(config);
/** The logs dashboard's defaults: every level, object namespace and name, empty search. */
const defaults: Record<string, string> = { level: '.*', object_namespace: '.*', name: '.*', search: '', namespace: 'flux-system', controller: '.*', cluster: '.*' };

function select(query: string, overrides: Record<string, string> = {}): string[] {
  const values = { ...defaults, ...overrides };
  const text = query.replace(/\$(\w+)/g, (match, name: string) => values[name] ?? match);
  const stages = parsePipeline(text);
  return fluxLogLines.filter((line) => evaluate(stages, line) !== undefined);
}

const levelOf = (line: string) => (JSON.parse(line) as { level: string }).level;

describe('LogQL of the logs dashboard over real Flux log lines', () => {
  it('every JSON field the pipelines extract is in the lines of a reconcile', () => {
    const reconcileLines = fluxLogLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => 'reconcileID' in line);
    expect(reconcileLines.length).toBeGreaterThan(0);
    for (const [label, field] of Object.entries(logFields)) {
      if (label === 'error') continue;
      for (const line of reconcileLines) expect(typeof line[field], `${field} (→ ${label}) in ${JSON.stringify(line)}`).toBe('string');
    }
    expect(reconciliationFailureLines.every((line) => typeof (JSON.parse(line) as Record<string, unknown>)[logFields.error] === 'string')).toBe(true);
  });

  it('the reconciliation failure panels select exactly the failure lines', () => {
    expect(select(logs.reconciliationFailureLogLines(scope).expr)).toEqual([...reconciliationFailureLines]);
    expect(select(logs.reconciliationFailuresByKind(scope).expr)).toEqual([...reconciliationFailureLines]);
  });

  it('failure lines carry the label the failures panel groups by', () => {
    const stages = parsePipeline(logs.reconciliationFailuresByKind(scope).expr.replace(/\$(\w+)/g, (m, name: string) => defaults[name] ?? m));
    const groups = new Set(reconciliationFailureLines.map((line) => evaluate(stages, line)?.reconciler));
    expect([...groups].sort()).toEqual(['gitrepository', 'helmrelease', 'kustomization']);
  });

  it('the error panels select exactly the error-level lines, the all-lines panel everything', () => {
    const errors = fluxLogLines.filter((line) => levelOf(line) === 'error');
    expect(select(logs.errorLogLines(scope).expr)).toEqual(errors);
    expect(select(logs.errorsByController(scope).expr)).toEqual(errors);
    expect(select(logs.logLinesAll(scope).expr)).toEqual([...fluxLogLines]);
  });

  it('the level variable keeps debug and trace lines when chosen', () => {
    for (const level of ['debug', 'trace', 'info']) {
      const selected = select(logs.logLinesAll(scope).expr, { level });
      expect(selected.length, level).toBeGreaterThan(0);
      expect(selected.every((line) => levelOf(line) === level), level).toBe(true);
    }
  });

  it('the object namespace and name variables filter on the reconciled object, not the pod', () => {
    const inPodinfo = select(logs.logLinesAll(scope).expr, { object_namespace: 'podinfo' });
    expect(inPodinfo.length).toBeGreaterThan(0);
    expect(inPodinfo.every((line) => (JSON.parse(line) as { namespace: string }).namespace === 'podinfo')).toBe(true);
    const apps = select(logs.logLinesAll(scope).expr, { name: 'apps' });
    expect(apps.map((line) => (JSON.parse(line) as { name: string }).name)).toEqual(apps.map(() => 'apps'));
    expect(apps.length).toBe(fluxLogLines.filter((line) => (JSON.parse(line) as { name?: string }).name === 'apps').length);
  });

  it('the search box narrows by text', () => {
    const selected = select(logs.logLinesAll(scope).expr, { search: 'ingress-nginx' });
    expect(selected).toEqual(fluxLogLines.filter((line) => line.includes('ingress-nginx')));
    expect(ordinaryLines.some((line) => selected.includes(line))).toBe(false);
  });
});
