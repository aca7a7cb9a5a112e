/**
 * Installations for `init` and `doctor` to look at, all in one Prometheus: each fleet ends at its own time, hours
 * apart, and the commands look at it with `--at`. A fleet's OpenMetrics text is edited line by line to take a piece
 * away (kube-state-metrics' Flux config, cAdvisor, the controllers' scrape) or to emulate a release's image tags.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../../config';
import { defaultFleetOptions, fleetEnd, makeFleet, type FleetOptions } from '../../fixtures/fleet/fleet';
import { writeOpenMetrics } from '../../fixtures/fleet/openmetrics';
import { backfill, startPrometheus, type PrometheusServer } from '../../fixtures/prometheus';
import { controllerImageTag } from '../../model/controller-releases';
import { fluxDeployments } from '../../model/kinds';
import { kindApisOf, type FluxRelease } from '../../model/flux-releases';

export interface Installation {
  name: string;
  fleet: Partial<FleetOptions>;
  /** Edits each OpenMetrics line: null drops it; a string with newlines adds lines. */
  edit?: (line: string) => string | null;
  /** The FluxInstance is not there: the release is read from the controllers' images. */
  withoutFluxInstance?: boolean;
}

export interface ServedInstallation extends Installation {
  /** The time to give `--at`: the fleet's last sample. */
  at: number;
  options: FleetOptions;
}

/** Hours between the fleets' ends: far more than the range the commands look over. */
const spacing = 3 * 3600;

/** The controllers' images and the FluxInstance's revision of the fleet's release (the fleet writes one set). */
function releaseEdit(release: FluxRelease, withoutFluxInstance: boolean): (line: string) => string | null {
  const images = fluxDeployments.map((deployment) => [
    new RegExp(`(ghcr\\.io/fluxcd/${deployment}):v[0-9.]+`, 'g'), `$1:${controllerImageTag(release, deployment)}`,
  ] as const);
  const apis = kindApisOf(release);
  return (line) => {
    // The API server's series name the versions the release's controllers ask for; kinds it lacks are not there.
    if (line.startsWith('apiserver_')) {
      const group = /[{,]group="([^"]+)"/.exec(line)?.[1];
      const resource = /[{,]resource="([a-z]+)(\.[^"]*)?"/.exec(line)?.[1];
      if (!group?.endsWith('fluxcd.io') && !line.includes('fluxcd.io')) return line;
      const api = apis.find((candidate) => candidate.plural === resource);
      if (!api) return null;
      return line.replace(/([{,]version=")[^"]+"/, `$1${api.version}"`);
    }
    if (line.startsWith('flux_instance_info{')) {
      return withoutFluxInstance ? null : line.replace(/revision="v[0-9.]+@/, `revision="v${release}.0@`);
    }
    return images.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
  };
}

function editFile(path: string, edits: Array<(line: string) => string | null>): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    let text: string | null = line;
    for (const edit of edits) {
      if (text === null || text.startsWith('#') || !text) break;
      text = text.split('\n').map((part) => edit(part)).filter((part) => part !== null).join('\n') || null;
    }
    if (text !== null) kept.push(text);
  }
  writeFileSync(path, kept.join('\n'));
}

export interface ServedInstallations {
  prometheus: PrometheusServer;
  installations: ServedInstallation[];
  stop(): Promise<void>;
}

/** Writes, edits and backfills every installation into one TSDB and serves it. */
export async function serveInstallations(installations: Installation[]): Promise<ServedInstallations> {
  const workDir = mkdtempSync(join(tmpdir(), 'flux-installations-'));
  const dataDir = join(workDir, 'data');
  const latest = fleetEnd();
  const served: ServedInstallation[] = [];
  try {
    for (const [index, installation] of installations.entries()) {
      const end = latest - index * spacing;
      const options: FleetOptions = {
        ...defaultFleetOptions, clusters: 1, objectsPerKind: 2, namespaces: 3, duration: 2700, scrapeInterval: 60,
        ...installation.fleet, end,
      };
      const file = join(workDir, `fleet-${index}.om`);
      writeOpenMetrics(makeFleet(options), file);
      const edits = [releaseEdit(options.fluxVersion, installation.withoutFluxInstance ?? false)];
      if (installation.edit) edits.push(installation.edit);
      editFile(file, edits);
      await backfill(file, dataDir);
      rmSync(file);
      served.push({ ...installation, at: end, options });
    }
    const prometheus = await startPrometheus(dataDir, workDir);
    return {
      prometheus, installations: served,
      stop: async () => {
        await prometheus.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** The configuration the fleet was built as, as `init` should write it (options at their default left out). */
export function configOfFleet(options: FleetOptions): ConfigInput {
  return {
    flavor: options.flavor,
    fluxVersion: options.fluxVersion,
    clusterLabel: options.clusterLabel,
    namespace: options.fluxNamespace,
    objectNamespaceLabel: options.objectNamespaceLabel,
  };
}
