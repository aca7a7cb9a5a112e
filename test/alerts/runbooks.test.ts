/**
 * Every alert links a runbook page of this repository, named after it: docs/runbooks/<alert>.md, saying what the alert
 * means and what to run. A new alert fails here until its page is written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { outputFiles, runbookFolder, runbookPage } from '../model';
import { renderArtifacts } from '../scripts/artifacts';
import { defaultConfig, resolveConfig, type Config } from '../config';
import { configMatrix } from './configs';

const repo = resolve(import.meta.dirname, '..');
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
function rulesOf(artifacts: Map<string, string>): Array<{ file: string; name: string; annotations: Record<string, string> }> {
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
  resolveConfig({ ...config, alerts: { ...config.alerts, grafana: { prometheusDatasourceUid: 'prometheus', lokiDatasourceUid: 'loki' } } });
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

  it('is listed in the runbooks index', () => {
    expect(readFileSync(join(pages, 'README.md'), 'utf8')).toContain(`[${alert}](${alert}.md)`);
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

  it('point at the published pages by default', () => {
    expect(defaultConfig.alerts.runbookBaseUrl).toBe('https://unpkg.com/flux-dashboards/docs/runbooks');
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain(`${runbookFolder}/`);
  });
});
