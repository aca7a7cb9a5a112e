/**
 * Links between the dashboards that need no Prometheus: a control-plane series opens Flux Logs searching its
 * reconciler, and those logs (run over real Flux log lines on every pipeline) are the reconciler's lines; a count
 * opens the table that lists what it counts.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../config';
import { controlPlaneDashboard, finishDashboard, logsDashboard } from '../../dashboards';
import { dashboardIdentities } from '../../model';
import { fluxLogEntries, fluxLogLines, logPipelines } from '../../fixtures/fleet/flux-logs';
import { substitute, variableValues } from '../helpers/grafana-variables';
import { runLogql } from '../helpers/logql';
import { allPanels, allTargets } from '../helpers/targets';

const linksOf = (panel: object) =>
  (((panel as { fieldConfig?: unknown }).fieldConfig as { defaults?: { links?: Array<{ url: string }> } } | undefined)
    ?.defaults?.links ?? []).map((link) => link.url);

/** A data link as Grafana fills it from a series' labels; `$__all` selects the variable's All. */
function fill(url: string, labels: Record<string, string>) {
  const filled = url
    .replace(/\$\{__field\.labels\.(\w+):percentencode\}/g, (_, label: string) => encodeURIComponent(labels[label]!))
    .replace(/\$\{(\w+):queryparam\}/g, (_, name: string) => `var-${name}=flux-system`)
    .replace('${__url_time_range}', 'from=now-1h&to=now');
  expect(filled).not.toContain('${');
  const parsed = new URL(filled, 'https://grafana.example.com');
  return {
    uid: parsed.pathname.replace(/^\/d\//, ''),
    variables: Object.fromEntries([...parsed.searchParams].filter(([key]) => key.startsWith('var-'))
      .map(([key, value]) => [key.slice(4), value])),
  };
}

const setups = logPipelines.flatMap((preset) =>
  (['cluster', null] as const).map((clusterLabel) => ({
    name: `${preset}, cluster ${clusterLabel}`, preset, clusterLabel,
  })));

describe.each(setups)('a reconciler\'s series opens its logs: $name', ({ preset, clusterLabel }) => {
  const config: Config = resolveConfig({ clusterLabel, loki: { preset } });
  const controlPlane = finishDashboard(config, controlPlaneDashboard(config));
  const logs = finishDashboard(config, logsDashboard(config));
  const stored = fluxLogEntries(preset, { cluster: clusterLabel ? 'prod-eu' : undefined });

  it('shows Flux Logs the reconciler\'s JSON lines, every one of them', () => {
    const panel = allPanels(controlPlane).find((candidate) => candidate.title === 'Workers busy')!;
    const [url] = linksOf(panel);
    const series = { ...(clusterLabel ? { [clusterLabel]: 'prod-eu' } : {}), controller: 'kustomization' };
    const { uid, variables } = fill(url!, series);
    expect(uid).toBe(dashboardIdentities.logs.uid);
    const values = { ...variableValues(logs), ...variables };
    // `$__all` selects All: the variable's allValue.
    if (values.controller === '$__all') values.controller = variableValues(logs).controller!;
    const expr = String(allTargets(logs).find(({ panel: p }) => p.title === 'All logs')!.target.expr);
    const result = runLogql(substitute(expr, values), stored);
    if (result.type !== 'lines') throw new Error('All logs is a metric query');
    const shown = result.lines.map(({ entry }) => entry.line);
    const reconcilerLines = fluxLogLines.filter((line) => line.includes('"controller":"kustomization"'));
    expect(reconcilerLines.length).toBeGreaterThan(1);
    expect(shown).toEqual(expect.arrayContaining(reconcilerLines));
    expect(shown.every((line) => line.includes('kustomization'))).toBe(true);
    expect(shown.length).toBeLessThan(fluxLogLines.length);
  });
});

describe('counts open the table listing what they count', () => {
  const config = resolveConfig({});
  const controlPlane = finishDashboard(config, controlPlaneDashboard(config));

  it('links Controllers up and down to the controllers table, alone in view, keeping the selection', () => {
    for (const title of ['Controllers up', 'Controllers down']) {
      const [url] = linksOf(allPanels(controlPlane).find((panel) => panel.title === title)!);
      const id = /viewPanel=(\d+)/.exec(url!)?.[1];
      const table = allPanels(controlPlane).find((panel) => String(panel.id) === id);
      expect(table?.title).toBe('Controllers and versions');
      expect(url).toMatch(/^\/d\/flux-control-plane\?viewPanel=\d+&\$\{__all_variables\}&\$\{__url_time_range\}$/);
    }
  });
});
