/**
 * promtool unit tests of every Prometheus alert rule, for every flavour, with and without a cluster label and with the
 * recording rules on: each alert fires where it should, with exact labels and annotations, and stays silent where it
 * should not. Each alert's cases are data in cases/<alert>.ts; each setup is one promtool run over all of them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertArtifacts } from '../../alerts';
import { resolveConfig, type Config } from '../../config';
import { outputFiles } from '../../model/outputs';
import { CaseContext, grafana, runbooks, type AlertCases } from './cases/context';
import { runPromtool, unitTestFile, type AlertCase } from './promtool';

const alerts = { grafanaUrl: grafana, runbookBaseUrl: runbooks };

const setups: Array<{ title: string; config: Config }> = [
  {
    title: 'kube-state-metrics, cluster label',
    config: resolveConfig({ alerts: { grafanaUrl: `${grafana}/`, runbookBaseUrl: `${runbooks}/` } }),
  },
  {
    title: 'legacy on Flux 2.1, cluster label',
    config: resolveConfig({ flavor: 'legacy', fluxVersion: '2.1', alerts }),
  },
  { title: 'kube-state-metrics, no cluster label', config: resolveConfig({ clusterLabel: null, alerts }) },
  {
    title: 'legacy on Flux 2.4, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'legacy', clusterLabel: null, objectNamespaceLabel: 'namespace', alerts }),
  },
  { title: 'flux-operator, cluster label', config: resolveConfig({ flavor: 'flux-operator', alerts }) },
  {
    title: 'flux-operator, honor_labels, no cluster label',
    config: resolveConfig({ flavor: 'flux-operator', clusterLabel: null, objectNamespaceLabel: 'namespace', alerts }),
  },
  // The recording group runs first and the alerts read what it records.
  {
    title: 'kube-state-metrics, cluster label, recording rules',
    config: resolveConfig({ recordingRules: true, alerts }),
  },
  {
    title: 'legacy, honor_labels, no cluster label, recording rules',
    config: resolveConfig({
      flavor: 'legacy', clusterLabel: null, objectNamespaceLabel: 'namespace', recordingRules: true, alerts,
    }),
  },
];

/** Every alert's cases, one module per alert named after it. */
const casesFolder = join(import.meta.dirname, 'cases');
const caseFiles = readdirSync(casesFolder).filter((file) => /^Flux\w+\.ts$/.test(file));
const alertCases = await Promise.all(
  caseFiles.map(async (file) => ((await import(join(casesFolder, file))) as { default: AlertCases }).default),
);
const defaultInterval = '1m';

describe('the promtool cases', () => {
  it('are one module per alert, named after it', () => {
    expect(alertCases.map((cases) => `${cases.alert}.ts`)).toEqual(caseFiles);
  });
});

describe.each(setups)('alert rules under promtool ($title)', ({ config }) => {
  const rules = alertArtifacts(config).files.get(outputFiles.ruleFile)!;
  const ruleNames = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map((match) => match[1]!);
  const context = new CaseContext(config);
  const cases = alertCases
    .map((entry) => ({ ...entry, list: entry.cases(context) }))
    .filter((entry) => entry.list.length > 0);

  it('has fire and silence cases for every rule, and no cases for rules it lacks', () => {
    expect(cases.map((entry) => entry.alert).sort()).toEqual([...ruleNames].sort());
    for (const { alert, list } of cases) {
      expect(list.some((c) => c.expected.length > 0), `${alert} fires somewhere`).toBe(true);
      expect(list.some((c) => c.expected.length === 0), `${alert} stays silent somewhere`).toBe(true);
    }
  });

  it('passes every case in one promtool run', async () => {
    // Every alert links the runbook page named after it; each test group is named after its alert and case.
    const byInterval = new Map<string, AlertCase[]>();
    for (const { alert, list, interval = defaultInterval } of cases) {
      const named = list.map((c) => ({
        ...c,
        alert,
        name: `${alert}: ${c.name}`,
        expected: c.expected.map((e) => ({
          ...e,
          annotations: { ...e.annotations, runbook_url: `${runbooks}/${alert}.md` },
        })),
      }));
      byInterval.set(interval, [...(byInterval.get(interval) ?? []), ...named]);
    }
    const testFiles = Object.fromEntries(
      [...byInterval].map(([interval, list]) => [`tests-${interval}.yaml`, unitTestFile(list, interval)]),
    );
    const args = ['test', 'rules', ...Object.keys(testFiles)];
    const result = await runPromtool({ 'rules.yaml': rules, ...testFiles }, args);
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/SUCCESS/g)?.length, result.output).toBe(Object.keys(testFiles).length);
  });
});
