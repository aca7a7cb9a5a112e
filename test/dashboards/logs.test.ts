/**
 * The logs dashboard's LogQL, run over real Flux log lines as each log pipeline stores them (Promtail, Grafana Alloy
 * with k8s-monitoring 1.x–2.x and 3.x and later): there is no Loki here, so the evaluator of test/helpers/logql.ts
 * stands in for it with the rules that matter (structured metadata is no stream label; a metric query over an
 * unparsed line fails). Every panel's query and the controller variable are drawn on every pipeline.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../config';
import { finishDashboard, logsDashboard } from '../../dashboards';
import { logs, logsScope } from '../../queries';
import { fluxDeployments } from '../../model/kinds';
import {
  controllerPods, fluxLogEntries, fluxLogLines, logPipelines, ordinaryLines, reconciliationFailureLines, unparsedLines,
  type LogEntry,
} from '../../fixtures/fleet/flux-logs';
import { substitute, variableValues } from '../helpers/grafana-variables';
import { lokiLabelValues, LokiQueryError, runLogql } from '../helpers/logql';
import { allTargets } from '../helpers/targets';

const { logFields } = logs;

const isJson = (line: string) => line.startsWith('{');
const fieldsOf = (line: string) => JSON.parse(line) as Record<string, unknown>;
const levelOf = (line: string) => (isJson(line) ? String(fieldsOf(line).level) : '');
const jsonLines = fluxLogLines.filter(isJson);

interface VariableJson {
  name: string;
  type: string;
  query?: unknown;
  regex?: string;
}

/**
 * The options Grafana offers for a variable: a query variable's values through its regex (the first capture group,
 * deduplicated, values that do not match dropped), or a custom variable's comma-separated list.
 */
function variableOptions(variable: VariableJson, entries: LogEntry[], values: Record<string, string>): string[] {
  if (variable.type === 'custom') return String(variable.query).split(',').map((value) => value.trim());
  const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query: string }).query;
  const found = lokiLabelValues(substitute(query, values), entries);
  if (!variable.regex) return found;
  const regex = new RegExp(variable.regex.replace(/^\/|\/$/g, ''));
  return [...new Set(found.flatMap((value) => {
    const m = regex.exec(value);
    return m ? [m[1] ?? m[0]] : [];
  }))].sort();
}

const pipelineConfigs = logPipelines.flatMap((preset) =>
  (['cluster', null] as const).map((clusterLabel) => ({
    name: `${preset}, cluster label ${clusterLabel ?? 'none'}`, preset, clusterLabel,
  })),
);

describe.each(pipelineConfigs)('the logs dashboard over $name', ({ preset, clusterLabel }) => {
  const config: Config = resolveConfig({ clusterLabel, loki: { preset } });
  const dashboard = finishDashboard(config, logsDashboard(config));
  const targets = allTargets(dashboard);
  const exprOf = (title: string) => String(targets.find(({ panel }) => panel.title === title)!.target.expr);
  const entries = fluxLogEntries(preset, { cluster: clusterLabel ? 'prod-eu' : undefined });
  // Another cluster's Flux writes the same lines: a selected cluster must not show them.
  const elsewhere = clusterLabel ? fluxLogEntries(preset, { cluster: 'staging' }) : [];
  const stored = [...entries, ...elsewhere];
  const cluster: Record<string, string> = clusterLabel ? { cluster: 'prod-eu' } : {};
  const defaults = { ...variableValues(dashboard), namespace: 'flux-system', ...cluster };
  const run = (title: string, overrides: Record<string, string> = {}) =>
    runLogql(substitute(exprOf(title), { ...defaults, ...overrides }), stored);
  const lines = (title: string, overrides: Record<string, string> = {}) => {
    const result = run(title, overrides);
    if (result.type !== 'lines') throw new Error(`${title} is a metric query`);
    return result.lines.map(({ entry }) => entry.line);
  };
  const counts = (title: string, overrides: Record<string, string> = {}) => {
    const result = run(title, overrides);
    if (result.type !== 'counts') throw new Error(`${title} is a log query`);
    return Object.fromEntries([...result.counts].map(([key, count]) => [key.replace(/^\w+=/, ''), count]));
  };
  const tally = (keys: string[]) =>
    keys.reduce<Record<string, number>>((acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }), {});

  it('the fleet holds unparsed lines, and the metric queries would fail on them without | __error__=""', () => {
    expect(entries.filter(({ line }) => !isJson(line)).length).toBe(unparsedLines.length);
    const unguarded = exprOf('Log volume by level').replace(' | __error__=""', '');
    expect(unguarded).not.toBe(exprOf('Log volume by level'));
    expect(() => runLogql(substitute(unguarded, defaults), stored)).toThrow(LokiQueryError);
    expect(() => runLogql(substitute(unguarded, defaults), stored)).toThrow(/pipeline error: 'JSONParserErr'/);
  });

  it('every panel draws: metric queries do not fail on unparsed lines, for every controller', () => {
    const titles = targets.map(({ panel }) => panel.title);
    expect(titles.length).toBe(6);
    for (const controller of ['.*', ...Object.keys(controllerPods)]) {
      for (const title of titles) {
        expect(() => run(title, { controller }), `${title}, controller ${controller}`).not.toThrow();
      }
    }
  });

  it('All logs shows every line of the chosen cluster, the unparsed ones included', () => {
    expect(lines('All logs')).toEqual([...fluxLogLines]);
    expect(lines('All logs')).toEqual(expect.arrayContaining([...unparsedLines]));
  });

  it('Log volume by level counts every JSON line by its level and leaves the unparsed ones out', () => {
    expect(counts('Log volume by level')).toEqual(tally(jsonLines.map(levelOf)));
  });

  it('the error panels select exactly the error-level lines', () => {
    const errors = jsonLines.filter((line) => levelOf(line) === 'error');
    expect(lines('Error logs')).toEqual(errors);
    expect(Object.values(counts('Errors by controller')).reduce((a, b) => a + b, 0)).toBe(errors.length);
  });

  it('Errors by controller names the controllers, never their pods', () => {
    const errors = entries.filter(({ line }) => levelOf(line) === 'error');
    expect(counts('Errors by controller')).toEqual(tally(errors.map(({ controller }) => controller)));
    const legend = targets.find(({ panel }) => panel.title === 'Errors by controller')!.target.legendFormat;
    expect(legend).toBe(`{{${logs.controllerNameLabel(logsScope(config))}}}`);
  });

  it('the failure panels select exactly the failures: Flux\'s, controller-runtime\'s and source-controller\'s', () => {
    expect(lines('Reconciliation failure logs')).toEqual([...reconciliationFailureLines]);
    const byReconciler = tally(reconciliationFailureLines.map((line) => String(fieldsOf(line)[logFields.reconciler])));
    expect(counts('Reconciliation failures')).toEqual(byReconciler);
    const reconcilers = ['gitrepository', 'helmrelease', 'helmrepository', 'kustomization', 'ocirepository'];
    expect(Object.keys(byReconciler).sort()).toEqual(reconcilers);
    const stalled = reconciliationFailureLines.filter((line) => fieldsOf(line).msg === 'reconciliation stalled');
    const bare = reconciliationFailureLines.filter((line) => fieldsOf(line).msg === fieldsOf(line).error);
    expect(stalled.length).toBe(1);
    expect(bare.length).toBe(2);
  });

  it('lines that mention failure without being one stay out of the failure panels', () => {
    const failures = lines('Reconciliation failure logs');
    expect(ordinaryLines.filter((line) => failures.includes(line))).toEqual([]);
    expect(ordinaryLines.some((line) => levelOf(line) === 'error')).toBe(true);
  });

  it('the controller variable offers controller names, never pod names', () => {
    const variable = (dashboard.templating as { list: VariableJson[] }).list.find((v) => v.name === 'controller')!;
    const options = variableOptions(variable, stored, defaults);
    expect(options).toEqual(expect.arrayContaining(Object.keys(controllerPods)));
    const deployments: readonly string[] = fluxDeployments;
    expect(options.every((option) => deployments.includes(option)), options.join(', ')).toBe(true);
  });

  it('choosing one controller shows exactly its lines, in log and metric panels', () => {
    for (const controller of Object.keys(controllerPods)) {
      const own = entries.filter((entry) => entry.controller === controller).map(({ line }) => line);
      expect(lines('All logs', { controller }), controller).toEqual(own);
      expect(counts('Log volume by level', { controller }), controller).toEqual(tally(own.filter(isJson).map(levelOf)));
    }
  });

  it('the level variable keeps debug and trace lines when chosen', () => {
    for (const level of ['debug', 'trace', 'info']) {
      const selected = lines('All logs', { level });
      expect(selected.length, level).toBeGreaterThan(0);
      expect(selected.every((line) => levelOf(line) === level), level).toBe(true);
    }
  });

  it('the object namespace and name variables filter on the reconciled object, not the pod', () => {
    const inPodinfo = lines('All logs', { object_namespace: 'podinfo' });
    expect(inPodinfo.length).toBeGreaterThan(0);
    expect(inPodinfo.every((line) => fieldsOf(line).namespace === 'podinfo')).toBe(true);
    const apps = lines('All logs', { name: 'apps' });
    expect(apps.length).toBe(jsonLines.filter((line) => fieldsOf(line).name === 'apps').length);
    expect(apps.every((line) => fieldsOf(line).name === 'apps')).toBe(true);
  });

  it('the search box narrows by text', () => {
    const selected = lines('All logs', { search: 'ingress-nginx' });
    expect(selected).toEqual(fluxLogLines.filter((line) => line.includes('ingress-nginx')));
    expect(selected.length).toBeGreaterThan(0);
  });
});

describe('the evaluator keeps Loki\'s rules about structured metadata', () => {
  const v3 = fluxLogEntries('alloy-k8s-monitoring-v3-plus');
  const v1 = fluxLogEntries('alloy-k8s-monitoring-v1-v2');

  it('label_values lists stream labels only: pod on k8s-monitoring 1.x–2.x, nothing on 3.x and later', () => {
    const pods = Object.values(controllerPods).sort();
    expect(lokiLabelValues('label_values({namespace="flux-system"}, pod)', v1)).toEqual(pods);
    expect(lokiLabelValues('label_values({namespace="flux-system"}, pod)', v3)).toEqual([]);
  });

  it('structured metadata selects nothing in the stream selector, and filters after it', () => {
    const pod = controllerPods['source-controller'];
    const inSelector = runLogql(`{namespace="flux-system", pod="${pod}"}`, v3);
    const afterSelector = runLogql(`{namespace="flux-system"} | pod="${pod}"`, v3);
    expect(inSelector.type === 'lines' && inSelector.lines.length).toBe(0);
    const own = v3.filter((entry) => entry.controller === 'source-controller');
    expect(afterSelector.type === 'lines' && afterSelector.lines.length).toBe(own.length);
  });

  it('a selector that matches the empty value is refused, as Loki refuses it', () => {
    expect(() => runLogql('{namespace=~".*"}', v3)).toThrow(/empty-compatible value/);
  });

  it('an unknown stage is an error, not a skip', () => {
    expect(() => runLogql('{namespace="flux-system"} | logfmt', v3)).toThrow(/does not know the stage/);
  });
});

describe('the JSON fields the pipelines extract', () => {
  it('are in every line of a reconcile', () => {
    const reconcileLines = jsonLines.map(fieldsOf).filter((line) => 'reconcileID' in line);
    expect(reconcileLines.length).toBeGreaterThan(0);
    for (const [label, field] of Object.entries(logFields)) {
      if (label === 'error') continue;
      for (const line of reconcileLines) {
        expect(typeof line[field], `${field} (→ ${label}) in ${JSON.stringify(line)}`).toBe('string');
      }
    }
    expect(reconciliationFailureLines.every((line) => typeof fieldsOf(line)[logFields.error] === 'string')).toBe(true);
  });
});
