/** Every panel of the official Flux dashboards has a counterpart in ours (official-counterparts.json beside this). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config';
import { buildDashboards } from '../../dashboards';
import { configMatrix, flavorConfigs } from '../configs';
import { allPanels } from '../helpers/targets';

interface Counterpart {
  official: { dashboard: 'control-plane' | 'cluster' | 'logs'; title: string | null; type: string };
  ours: { uid: string; title: string; type: string };
  note: string;
}

const fixturePath = join(import.meta.dirname, 'official-counterparts.json');
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { counterparts: Counterpart[] };
const officialName = ({ official }: Counterpart) =>
  `${official.dashboard} "${official.title ?? `(untitled ${official.type})`}"`;
const named = fixture.counterparts.map((counterpart) => ({ ...counterpart, name: officialName(counterpart) }));

type Dashboards = ReturnType<typeof buildDashboards>;

/** What is wrong with our counterpart of an official panel: it must be exactly one panel of that title and type. */
function counterpartProblem(dashboards: Dashboards, { ours }: Pick<Counterpart, 'ours'>): string | undefined {
  const dashboard = dashboards.find((candidate) => candidate.uid === ours.uid);
  if (!dashboard) return `no dashboard ${ours.uid}`;
  const found = allPanels(dashboard).filter((panel) => panel.title === ours.title && panel.type === ours.type);
  return found.length === 1 ? undefined : `${found.length} ${ours.type} panels "${ours.title}" in ${ours.uid}`;
}

/** The panels a configuration has, as the counterparts are found: dashboard, title and type. */
const panelsOf = (config: Config) =>
  buildDashboards(config).map((dashboard) => [
    dashboard.uid,
    allPanels(dashboard).map((panel) => `${String(panel.type)} ${String(panel.title)}`),
  ]);

it('lists every panel of the three official dashboards (20, 13 and 2 with their rows)', () => {
  const count = (dashboard: Counterpart['official']['dashboard']) =>
    fixture.counterparts.filter((c) => c.official.dashboard === dashboard).length;
  expect({ controlPlane: count('control-plane'), cluster: count('cluster'), logs: count('logs') })
    .toEqual({ controlPlane: 20, cluster: 13, logs: 2 });
  for (const counterpart of fixture.counterparts)
    expect(counterpart.note.length, counterpart.ours.title).toBeGreaterThan(0);
});

// Which panels exist depends on the flavour alone: each check runs once per flavour, not over the whole matrix.
it('has the same panels in every configuration of a flavour, so one configuration per flavour is enough', () => {
  const byFlavor = new Map(flavorConfigs.map(({ config }) => [config.flavor, panelsOf(config)]));
  for (const { name, config } of configMatrix) expect(panelsOf(config), name).toEqual(byFlavor.get(config.flavor));
});

describe.each(flavorConfigs)('under the $name flavour', ({ config }) => {
  const dashboards = buildDashboards(config);

  it.each(named)('$name has its counterpart', (counterpart) => {
    expect(counterpartProblem(dashboards, counterpart)).toBeUndefined();
  });
});

describe('the counterpart check', () => {
  const dashboards = buildDashboards(flavorConfigs[0]!.config);
  const listed = named[1]!.ours;

  it('fails for a panel we do not have', () => {
    const missing = { ours: { uid: 'flux-control-plane', title: 'Git Repos ops/min', type: 'timeseries' } };
    expect(counterpartProblem(dashboards, missing)).toBe(
      '0 timeseries panels "Git Repos ops/min" in flux-control-plane',
    );
  });

  it('fails for a panel of another type, or on another dashboard', () => {
    expect(counterpartProblem(dashboards, { ours: { ...listed, type: 'piechart' } })).toMatch(/^0 piechart panels/);
    expect(counterpartProblem(dashboards, { ours: { ...listed, uid: 'flux-nowhere' } })).toBe(
      'no dashboard flux-nowhere',
    );
  });

  it('fails when two panels share the title', () => {
    const doubled = structuredClone(dashboards);
    const dashboard = doubled.find((candidate) => candidate.uid === listed.uid)!;
    const panel = allPanels(dashboard).find((candidate) => candidate.title === listed.title)!;
    dashboard.panels.push(structuredClone(panel) as (typeof dashboard.panels)[number]);
    expect(counterpartProblem(doubled, { ours: listed })).toBe(
      `2 ${listed.type} panels "${listed.title}" in ${listed.uid}`,
    );
  });
});
