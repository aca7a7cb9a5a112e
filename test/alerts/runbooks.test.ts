/**
 * Every alert links a runbook page of this repository, named after it: docs/runbooks/<alert>.md, saying what the alert
 * means and what to run. A new alert fails here until its page is written. By default the link opens the alert's
 * panel of the Flux Runbooks dashboard the build writes; with `alerts.runbookBaseUrl`, the page under that URL.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertSet, runbookPanelId } from '../../alerts';
import { dashboardFile, outputFiles, runbookFolder, runbookPage, runbooksDashboard } from '../../model';
import { renderArtifacts } from '../../build/render';
import { defaultConfig, resolveConfig, type Config } from '../../config';
import { configMatrix } from '../configs';

const repo = resolve(import.meta.dirname, '../..');
const pages = join(repo, runbookFolder);

interface FileRule {
  alert?: string;
  title?: string;
  annotations: Record<string, string>;
}
interface RuleFile {
  groups: Array<{ rules: FileRule[] }>;
}

/** Every alert rule the build writes: the Prometheus and Loki rule files and the Grafana-managed rules. */
interface BuiltRule {
  file: string;
  name: string;
  annotations: Record<string, string>;
}

function rulesOf(artifacts: Map<string, string>): BuiltRule[] {
  const files = [outputFiles.ruleFile, outputFiles.lokiRuleFile, outputFiles.grafanaAlertProvisioning];
  return files.flatMap((file) => {
    const content = artifacts.get(file);
    if (content === undefined) return [];
    // Recording rules (`record`) have no page: they alert nobody.
    return (parse(content) as RuleFile).groups.flatMap((group) =>
      group.rules
        .filter((rule) => !('record' in rule))
        .map((rule) => ({ file, name: rule.alert ?? rule.title!, annotations: rule.annotations })));
  });
}

/** Grafana-managed and log rules in every configuration that has them. */
const withEveryRuleFile = (config: Config) =>
  resolveConfig({
    ...config,
    alerts: { ...config.alerts, grafana: { prometheusDatasourceUid: 'prometheus', lokiDatasourceUid: 'loki' } },
  });
const alertNames = [...new Set(configMatrix.flatMap(({ config }) =>
  rulesOf(renderArtifacts(withEveryRuleFile(config))).map((rule) => rule.name)))].sort();

/** The fenced shell blocks of a page. */
const commandsOf = (page: string) => [...page.matchAll(/```sh\n([^]*?)```/g)].map((block) => block[1]!).join('\n');

describe.each(alertNames)('runbook of %s', (alert) => {
  const path = join(pages, runbookPage(alert));
  const page = existsSync(path) ? readFileSync(path, 'utf8') : '';

  it(`is a page at ${runbookFolder}/${alert}.md, titled with the alert`, () => {
    expect(existsSync(path), `write ${runbookFolder}/${alert}.md`).toBe(true);
    expect(page.split('\n')[0]).toBe(`# ${alert}`);
  });

  it('says what the alert means and what to run: flux and kubectl commands', () => {
    const meaning = /## What it means\n\n([^#]+)/.exec(page)?.[1] ?? '';
    expect(meaning.trim().length).toBeGreaterThan(80);
    expect(page).toContain('## What to run');
    const commands = commandsOf(page);
    expect(commands).toMatch(/^flux (get|logs|check|events)\b/m);
    expect(commands).toMatch(/^kubectl .*\b(describe|logs|top|get)\b/m);
  });

  it('is listed in the alerts table of docs/alerts.md, linking the page', () => {
    expect(readFileSync(join(repo, 'docs/alerts.md'), 'utf8')).toContain(`| [${alert}](runbooks/${alert}.md)`);
  });
});

describe('runbook links', () => {
  it('every page belongs to an alert some configuration raises', () => {
    const written = readdirSync(pages)
      .filter((name) => name !== 'README.md')
      .map((name) => name.replace(/\.md$/, ''))
      .sort();
    expect(written).toEqual(alertNames);
  });

  it.each(configMatrix)('every rule of every rule file links its page ($name)', ({ config }) => {
    const everyFile = withEveryRuleFile(config);
    const alerts = { ...everyFile.alerts, runbookBaseUrl: 'https://wiki.example.com/flux/' };
    const artifacts = renderArtifacts(resolveConfig({ ...everyFile, alerts }));
    const rules = rulesOf(artifacts);
    expect(new Set(rules.map((rule) => rule.file)).size).toBe(3);
    const prometheusRule = (parse(artifacts.get(outputFiles.prometheusRule)!) as { spec: RuleFile }).spec.groups;
    const operatorRules = prometheusRule
      .flatMap((group) => group.rules)
      .filter((rule) => !('record' in rule))
      .map((rule) => ({ name: rule.alert!, ...rule }));
    for (const rule of [...rules, ...operatorRules]) {
      expect(rule.annotations.runbook_url, rule.name).toBe(`https://wiki.example.com/flux/${rule.name}.md`);
    }
  });

  it('are, by default, the alert’s panel of the runbooks dashboard, which holds its page and is delivered', () => {
    expect(defaultConfig.alerts.runbookBaseUrl).toBeNull();
    const config = withEveryRuleFile(resolveConfig({ alerts: { grafanaUrl: 'https://grafana.example.com/' } }));
    const artifacts = renderArtifacts(config);
    const rules = rulesOf(artifacts);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const url = new URL(rule.annotations.runbook_url!);
      expect(`${url.origin}/`, rule.name).toBe('https://grafana.example.com/');
      const uid = /^\/d\/([^/]+)$/.exec(url.pathname)?.[1];
      // The link leads to a dashboard the build wrote, and the panel it opens holds the alert's page.
      const file = artifacts.get(dashboardFile({ uid: uid! }));
      expect(file, `${rule.name}: ${url.pathname}`).toBeDefined();
      const dashboard = JSON.parse(file!) as {
        uid: string;
        panels: Array<{ id: number; title: string; options: { content: string } }>;
      };
      expect(dashboard.uid).toBe(runbooksDashboard.uid);
      const panel = dashboard.panels.find((candidate) => String(candidate.id) === url.searchParams.get('viewPanel'));
      expect(panel?.title, rule.name).toBe(rule.name);
      const page = readFileSync(join(pages, runbookPage(rule.name)), 'utf8');
      expect(page.endsWith(panel!.options.content), rule.name).toBe(true);
      expect(panel!.options.content.length, rule.name).toBeGreaterThan(200);
    }
    // Delivered like every dashboard: a ConfigMap holding its file, listed by each kustomization.
    for (const folder of ['kubernetes', 'grafana-operator']) {
      const resources = (parse(artifacts.get(`${folder}/kustomization.yaml`)!) as { resources: string[] }).resources;
      const holders = resources
        .map((name) => parse(artifacts.get(`${folder}/${name}`)!) as { kind: string; data?: Record<string, string> })
        .filter((object) => object.kind === 'ConfigMap' && object.data?.[`${runbooksDashboard.uid}.json`]);
      expect(holders.map((object) => object.data![`${runbooksDashboard.uid}.json`]), folder).toEqual([
        artifacts.get(dashboardFile(runbooksDashboard)),
      ]);
    }
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files, 'the pages ship in the package the build reads them from').toContain(`${runbookFolder}/`);
  });

  it('keep each alert’s runbook panel id whatever other alerts exist', () => {
    const config = resolveConfig({});
    const ids = alertSet(config).prometheus.map((alert) => runbookPanelId(alert.name));
    const legacy = alertSet(resolveConfig({ flavor: 'legacy' })).prometheus;
    for (const alert of legacy) expect(ids).toContain(runbookPanelId(alert.name));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id >= 100)).toBe(true);
  });
});
