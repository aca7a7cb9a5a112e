/** Every panel of the official Flux dashboards has a counterpart in ours (test/fixtures/official-counterparts.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config';
import { buildDashboards } from '../../dashboards';
import { configMatrix } from '../configs';
import { allPanels } from '../helpers/targets';

interface Counterpart {
  official: { dashboard: 'control-plane' | 'cluster' | 'logs'; title: string | null; type: string };
  ours: { uid: string; title: string; type: string };
  note: string;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'official-counterparts.json'), 'utf8')) as { counterparts: Counterpart[] };
const named = fixture.counterparts.map((counterpart) => ({ ...counterpart, name: `${counterpart.official.dashboard} "${counterpart.official.title ?? `(untitled ${counterpart.official.type})`}"` }));

it('lists every panel of the three official dashboards (20, 13 and 2 with their rows)', () => {
  const count = (dashboard: Counterpart['official']['dashboard']) => fixture.counterparts.filter((c) => c.official.dashboard === dashboard).length;
  expect({ controlPlane: count('control-plane'), cluster: count('cluster'), logs: count('logs') }).toEqual({ controlPlane: 20, cluster: 13, logs: 2 });
  for (const counterpart of fixture.counterparts) expect(counterpart.note.length, counterpart.ours.title).toBeGreaterThan(0);
});

describe.each(configMatrix)('under $name', ({ config }) => {
  const panels = new Map(buildDashboards(config).map((dashboard) => [dashboard.uid, allPanels(dashboard)]));

  it.each(named)('$name has its counterpart', ({ ours }) => {
    const found = (panels.get(ours.uid) ?? []).filter((panel) => panel.title === ours.title && panel.type === ours.type);
    expect(found, `${ours.type} "${ours.title}" in ${ours.uid}`).toHaveLength(1);
  });
});

it('fails for a panel we do not have', () => {
  const titles = allPanels(buildDashboards(resolveConfig())[0]!).map((panel) => panel.title);
  expect(titles).not.toContain('Git Repos ops/min');
});
