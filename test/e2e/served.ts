/** The test files' side of fleet-setup.ts: a fleet served for this run, found by its key in fleets.ts. */
import { inject } from 'vitest';
import { makeFleet, type Fleet } from '../../fixtures/fleet/fleet';
import type { LabelsSeen } from '../../fixtures/fleet/openmetrics';
import { prometheusClient, type PrometheusClient } from '../../fixtures/prometheus';

export interface ServedFleet {
  /** The same fleet the global setup wrote: a fleet is a function of its options. */
  fleet: Fleet;
  labelsSeen: LabelsSeen;
  prometheus: PrometheusClient;
}

const made = new Map<string, ServedFleet>();

export function servedFleet(key: string): ServedFleet {
  const known = made.get(key);
  if (known) return known;
  const provided = inject('fleets')[key];
  if (!provided) throw new Error(`no fleet "${key}" was served: declare it in test/e2e/fleets.ts`);
  const served = {
    fleet: makeFleet(provided.options),
    labelsSeen: new Map(provided.labelsSeen.map(([metric, labels]) => [metric, new Set(labels)])),
    prometheus: prometheusClient(provided.url),
  };
  made.set(key, served);
  return served;
}

/** The last sample time of every served fleet, Unix seconds. */
export const servedFleetEnd = (): number => inject('fleetEnd');
