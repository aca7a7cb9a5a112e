/** Generates fleets, backfills them (promtool runs side by side) and serves each from its own Prometheus. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfill, startPrometheus, type PrometheusServer } from '../helpers/prometheus';
import { makeFleet, type Fleet, type FleetOptions } from './fleet';
import { writeOpenMetrics, type FleetWriteResult } from './openmetrics';

export interface ServedFleet {
  fleet: Fleet;
  written: FleetWriteResult;
  prometheus: PrometheusServer;
}

export interface ServedFleets {
  fleets: ServedFleet[];
  /** Stops every Prometheus and deletes the data; safe to call twice. */
  stop(): Promise<void>;
}

export async function serveFleets(optionsList: FleetOptions[]): Promise<ServedFleets> {
  const workDir = mkdtempSync(join(tmpdir(), 'flux-fleet-'));
  const servers: PrometheusServer[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const prepared: Array<Promise<{ fleet: Fleet; written: FleetWriteResult; dataDir: string; dir: string }>> = [];
    for (const [index, options] of optionsList.entries()) {
      const dir = join(workDir, String(index));
      const fleet = makeFleet(options);
      const file = join(workDir, `fleet-${index}.om`);
      const written = writeOpenMetrics(fleet, file);
      const dataDir = join(dir, 'data');
      // The next fleet is generated while promtool reads this one.
      const done = backfill(file, dataDir).then(() => {
        rmSync(file, { force: true });
        return { fleet, written, dataDir, dir };
      });
      // Awaited below with the others; this keeps an early failure from counting as unhandled meanwhile.
      done.catch(() => undefined);
      prepared.push(done);
    }
    const fleets: ServedFleet[] = [];
    for (const ready of await Promise.all(prepared)) {
      const prometheus = await startPrometheus(ready.dataDir, ready.dir);
      servers.push(prometheus);
      fleets.push({ fleet: ready.fleet, written: ready.written, prometheus });
    }
    return { fleets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
