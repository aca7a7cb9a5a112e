/** The generated rule files under `promtool check rules`, and the promtool helper's own refusal. */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { alertArtifacts } from '../../alerts';
import { outputFiles } from '../../model/outputs';
import { promtool, runPromtool } from './promtool';
import { configs, ruleFileOf, rulesOf } from './rule-file-setups';

describe.each(configs)('alert rule files ($title)', ({ config }) => {
  it('pass promtool check rules, as a rule file and as the PrometheusRule spec', async () => {
    const ruleFile = alertArtifacts(config).files.get(outputFiles.ruleFile)!;
    const files = { 'flux-alerts.yaml': ruleFile, 'prometheusrule-spec.yaml': stringify(ruleFileOf(config)) };
    const result = await runPromtool(files, ['check', 'rules', ...Object.keys(files)]);
    expect(result.status, result.output).toBe(0);
    const recording = ruleFileOf(config).groups.filter((group) => group.name !== 'flux').flatMap((g) => g.rules);
    expect(result.output).toContain(`SUCCESS: ${rulesOf(config).length + recording.length} rules found`);
  });
});

describe('the promtool helper', () => {
  it('fails the tests with the install command when promtool is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => promtool()).toThrow(/apt-get install prometheus/);
    } finally {
      process.env.PATH = path;
    }
  });
});
