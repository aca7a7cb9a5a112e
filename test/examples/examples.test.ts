/**
 * The examples use the package only through its entry points (`flux-dashboards/panels`…), as a user would, and what
 * they build is held to the checks our own dashboards pass: queries, lint rules, Grafana's published schema.
 */
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../../config';
import { buildDashboards } from '../../dashboards';
import { customisedControlPlane } from '../../examples/customise-control-plane';
import { helmReleasesDashboardJson } from '../../examples/helm-releases/dashboard';
import { configMatrix } from '../configs';
import { lint, type LintRuleName } from '../helpers/lint';
import { checkPromql } from '../helpers/promql';
import { publishedSchema } from '../helpers/schemas';
import { allPanels, allTargets } from '../helpers/targets';
import { schemaExceptions, withExceptions } from '../schemas/exceptions';

type Json = Record<string, unknown>;

const validateDashboard = new Ajv({ strict: false, allErrors: true, logger: false }).compile(
  withExceptions(publishedSchema('dashboard'), 'dashboard', schemaExceptions),
);

/** Every check our dashboards pass, except the rules that name our three dashboards. */
function problemsOf(dashboard: Json, config: Config, skip: LintRuleName[] = []): string[] {
  const lintProblems = Object.entries(lint(dashboard, config))
    .filter(([rule]) => !skip.includes(rule as LintRuleName))
    .flatMap(([rule, problems]) => problems.map((problem) => `${rule}: ${problem}`));
  // A panel showing another panel's results, or an expression over its own queries, sends no PromQL.
  const queryProblems = allTargets(dashboard)
    .filter(({ panel }) => panel.datasourceType === 'prometheus')
    .flatMap(({ panel, target }) =>
      checkPromql(String(target.expr), config).problems.map((problem) => `${panel.title}: ${problem}`),
    );
  const schemaProblems = validateDashboard(dashboard)
    ? []
    : (validateDashboard.errors ?? []).map((error) => `schema: ${error.instancePath} ${error.message}`);
  return [...lintProblems, ...queryProblems, ...schemaProblems];
}

describe.each(configMatrix)('Flux HelmReleases, $name', ({ config }) => {
  const dashboard = helmReleasesDashboardJson(config);

  it('passes the checks our dashboards pass', () => {
    expect(problemsOf(dashboard, config, ['identity'])).toEqual([]);
  });

  it('narrows our queries to HelmReleases, and carries its own panel', () => {
    // A server-side expression names its panel's queries, not series: the queries are what is narrowed.
    const exprs = allTargets(dashboard).flatMap(({ target }) => (target.expr === undefined ? [] : [`${target.expr}`]));
    expect(exprs.length).toBeGreaterThan(6);
    expect(exprs.some((expr) => expr.includes('$kind'))).toBe(false);
    expect(exprs.filter((expr) => expr.includes('HelmRelease'))).toHaveLength(exprs.length);
    const own = allTargets(dashboard).find(({ panel }) => panel.title === 'HelmRelease reconciliations per namespace');
    expect(own?.target.legendFormat).toBe(
      `{{${[...(config.clusterLabel ? [config.clusterLabel] : []), config.objectNamespaceLabel].join('}} {{')}}}`,
    );
  });
});

it('the checks find a broken copy of the example', () => {
  const config = resolveConfig();
  const broken = structuredClone(helmReleasesDashboardJson(config)) as Json & {
    panels: Array<Json & { targets?: Json[] }>;
  };
  broken.panels[0]!.description = '';
  broken.panels[1]!.targets![0]!.expr = 'sum(gotk_reconcile_duration_seconds_count)';
  const problems = problemsOf(broken, config, ['identity']);
  expect(problems.some((problem) => problem.startsWith('panelTitleAndDescription:'))).toBe(true);
  expect(problems.some((problem) => problem.startsWith(`${String(broken.panels[1]!.title)}:`))).toBe(true);
});

describe('changing one of ours in a few lines', () => {
  const config = resolveConfig({ clusterLabel: null, namespace: 'gitops-system' });
  const ours = buildDashboards(config).find((dashboard) => dashboard.uid === 'flux-control-plane')!;
  const changed = customisedControlPlane();

  it('keeps every panel of ours and adds a row with one panel below them, numbered after them', () => {
    const panels = allPanels(changed);
    expect(panels.slice(0, -2)).toEqual(allPanels(ours));
    const row = panels.at(-2) as Json & { type: string; title: string; collapsed: boolean };
    expect([row.type, row.title, row.collapsed]).toEqual(['row', 'Memory limits', false]);
    const added = panels.at(-1) as Json & { id: number; gridPos: { y: number }; title: string };
    expect(added.title).toBe('Memory used of limit');
    expect(added.id).toBe(allPanels(ours).length + 2);
    // Below everything on the grid as it opens: a collapsed row's panels take no space there.
    const bottom = Math.max(...ours.panels.map((panel) => {
      const { y, h } = panel.gridPos as { y: number; h: number };
      return y + h;
    }));
    expect(added.gridPos.y).toBe(bottom + 1);
  });

  it('follows the other selectors and passes every check of ours', () => {
    expect(JSON.stringify(changed)).not.toContain('$cluster');
    expect(problemsOf(changed, config)).toEqual([]);
  });
});
