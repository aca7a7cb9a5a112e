/**
 * vitest's global setup of the end-to-end tests: generates every fleet of fleets.ts, backfills it and serves it from
 * a Prometheus, once for the whole run, and stops them all when the run ends. Only the project of test/e2e/ has this
 * setup, so the other tests never wait for it.
 */
import type { TestProject } from 'vitest/node';
import { fleetEnd } from '../../fixtures/fleet/fleet';
import { serveFleets } from '../../fixtures/fleet/serve';
import { plannedFleets, type ProvidedFleet } from './fleets';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const end = fleetEnd();
  const planned = plannedFleets();
  // Fleets declared alike are one fleet: the same options make the same fleet.
  const keyOf = (options: object) => JSON.stringify(options);
  const distinct = [...new Map([...planned.values()].map((options) => [keyOf(options), options])).values()];
  const served = await serveFleets(distinct.map((options) => ({ ...options, end })));
  const servedByKey = new Map(distinct.map((options, index) => [keyOf(options), served.fleets[index]!]));
  const provided: Record<string, ProvidedFleet> = {};
  for (const [key, options] of planned) {
    const { written, prometheus } = servedByKey.get(keyOf(options))!;
    const { recordingRules: _rules, byCluster: _byCluster, ...fleetOptions } = { ...options, end };
    provided[key] = {
      url: prometheus.url,
      options: fleetOptions,
      labelsSeen: [...written.labelsSeen].map(([metric, labels]) => [metric, [...labels]]),
    };
  }
  project.provide('fleets', provided);
  project.provide('fleetEnd', end);
  return () => served.stop();
}
