/**
 * How long a user waits for `init` and `doctor` (Prometheus only, the default checks) on a fleet of 10 clusters ×
 * 1,000 Flux objects: each command in-process against a real Prometheus holding the fleet, the median of several runs
 * (each run asks afresh: nothing is cached between runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/main';
import { defaultFleetOptions, fleetEnd, objectsPerKindFor } from '../fixtures/fleet/fleet';
import { serveFleets } from '../fixtures/fleet/serve';

const runs = 5;
const fleet = { clusters: 10, objectsPerCluster: 1000 };

export interface InspectBench {
  fleet: string;
  series: number;
  initMedianMs: number;
  doctorMedianMs: number;
  doctorExitCode: number;
  runs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchInspect(): Promise<InspectBench> {
  const end = fleetEnd();
  const served = await serveFleets([{
    ...defaultFleetOptions, end, duration: 3600 + 900, clusters: fleet.clusters,
    objectsPerKind: objectsPerKindFor(fleet.objectsPerCluster, 1), byCluster: true,
  }]);
  const dir = mkdtempSync(join(tmpdir(), 'flux-inspect-bench-'));
  try {
    const { prometheus } = served.fleets[0]!;
    const quiet = { out: () => undefined, err: (line: string) => console.error(line) };
    const time = async (args: string[]) => {
      const started = performance.now();
      const code = await runCli(args, {}, quiet);
      return { ms: performance.now() - started, code };
    };
    const common = ['--prometheus', prometheus.url, '--at', String(end), '--timeout', '600'];
    const init: number[] = [];
    const doctor: number[] = [];
    let doctorExitCode = -1;
    for (let run = 0; run < runs; run++) {
      const config = join(dir, `flux-${run}.yaml`);
      const initRun = await time(['init', ...common, '--out', config]);
      if (initRun.code !== 0) throw new Error(`init exited ${initRun.code}`);
      init.push(initRun.ms);
      const doctorRun = await time(['doctor', ...common, '--config', config]);
      doctor.push(doctorRun.ms);
      doctorExitCode = doctorRun.code;
    }
    return {
      fleet: `${fleet.clusters}x${fleet.objectsPerCluster}`, series: served.fleets[0]!.written.series,
      initMedianMs: Math.round(median(init)), doctorMedianMs: Math.round(median(doctor)), doctorExitCode, runs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await served.stop();
  }
}

export function printInspectBench(bench: InspectBench): void {
  console.log(`\ninit and doctor on ${bench.fleet} (${bench.series.toLocaleString('en-US')} series), median of ` +
    `${bench.runs}: init ${bench.initMedianMs} ms, doctor ${bench.doctorMedianMs} ms (exit ${bench.doctorExitCode})`);
}
