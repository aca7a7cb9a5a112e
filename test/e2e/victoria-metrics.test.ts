/**
 * The dashboards, alert rules and recording rules on VictoriaMetrics (Debian's `victoria-metrics` and `vmalert`):
 * each fleet the Prometheus tests read is loaded into a VictoriaMetrics of its own through the import API, every
 * dashboard variable and target runs on both engines as Grafana runs it, and vmalert replays the rule files over the
 * fleet's history. What differs must be a difference of the engines that engine-differences.ts names and excuses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertArtifacts, recordingGroups } from '../../alerts';
import { buildDashboards, type DashboardJson } from '../../dashboards';
import { outputFiles } from '../../model/outputs';
import { recordedWindow } from '../../queries/recorded';
import { defaultFleetOptions } from '../../fixtures/fleet/fleet';
import { prometheusTargets, resolveVariables, runTarget, type TimeRange } from '../../fixtures/fleet/grafana';
import { writeOpenMetrics } from '../../fixtures/fleet/openmetrics';
import type { PromSeries, PrometheusClient } from '../../fixtures/prometheus';
import {
  checkRules, replayRules, startVictoriaMetrics, type VictoriaMetricsServer,
} from '../../fixtures/victoria-metrics';
import {
  addComparison, compareSeries, emptyComparison, excusedCount, type Comparison,
} from './engine-differences';
import { dashboardRange, prometheusFleetKey, prometheusSetups } from './fleets';
import { servedFleet, servedFleetEnd } from './served';

const scrapeInterval = defaultFleetOptions.scrapeInterval;
const end = servedFleetEnd();
const range: TimeRange = { from: end - dashboardRange, to: end };
/** vmalert's and Prometheus' default evaluation interval: the rule groups set none. */
const evaluationInterval = 60;
/** vmalert labels every alert with its group's name (unless started with `-disableAlertgroupLabel`). */
const alertGroupLabel = 'alertgroup';

interface RuleFile {
  groups: Array<{
    name: string;
    interval?: string;
    rules: Array<{ alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> }>;
  }>;
}

const seconds = (duration: string | undefined) => {
  const match = /^(\d+)([smh])$/.exec(duration ?? '0s');
  if (!match) throw new Error(`duration "${duration}" is not a number of s, m or h`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
};

const labelKey = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
const instantKey = (labels: Record<string, string>, time: number) => `${labelKey(labels)}@${Math.floor(time)}`;
const dashboardsOf = (config: Parameters<typeof buildDashboards>[0]): DashboardJson[] =>
  buildDashboards(config).filter((dashboard) => prometheusTargets(dashboard).length > 0);

interface LoadedFleet {
  workDir: string;
  victoria: VictoriaMetricsServer;
}

let loading: Array<Promise<LoadedFleet>> | undefined;
const started: LoadedFleet[] = [];

afterAll(async () => {
  await Promise.all(started.map(({ victoria }) => victoria.stop()));
  for (const { workDir } of started) rmSync(workDir, { recursive: true, force: true });
});

/**
 * Every setup's fleet in a VictoriaMetrics of its own, loaded once for the file: each fleet is written while
 * VictoriaMetrics imports the one before, and one import runs at a time.
 */
function loadedFleets(): Array<Promise<LoadedFleet>> {
  if (loading) return loading;
  let previous: Promise<unknown> = Promise.resolve();
  let importing: Promise<unknown> = Promise.resolve();
  loading = prometheusSetups.map((setup) => {
    const handedOver = previous.then(async () => {
      const workDir = mkdtempSync(join(tmpdir(), 'flux-victoria-'));
      const fleetFile = join(workDir, 'fleet.om');
      writeOpenMetrics(servedFleet(prometheusFleetKey(setup)).fleet, fleetFile);
      const victoria = await startVictoriaMetrics(join(workDir, 'data'));
      started.push({ workDir, victoria });
      const imported = importing.then(() => victoria.importOpenMetrics(fleetFile)).then(() => rmSync(fleetFile));
      importing = imported.catch(() => undefined);
      // Awaited below; this keeps a failure from counting as unhandled until then.
      imported.catch(() => undefined);
      return { workDir, victoria, imported };
    });
    previous = handedOver.catch(() => undefined);
    const loaded = handedOver.then(async ({ imported, ...fleet }) => {
      await imported;
      return fleet;
    });
    loaded.catch(() => undefined);
    return loaded;
  });
  return loading;
}

prometheusSetups.forEach((setup, index) => {
  const { config } = setup;
  const served = () => servedFleet(prometheusFleetKey(setup));
  const ruleFile = parse(alertArtifacts(config).files.get(outputFiles.ruleFile)!) as RuleFile;
  const alertGroups = ruleFile.groups.filter((group) => group.rules.some((rule) => rule.alert));

  describe(`VictoriaMetrics: ${setup.name}`, () => {
    let workDir: string;
    let victoria: VictoriaMetricsServer;
    let fleetStart: number;
    const paths = () => ({
      rules: join(workDir, 'flux-alerts.yaml'),
      recording: join(workDir, 'recording-rules.yaml'),
      alerts: join(workDir, 'alerting-rules.yaml'),
    });

    beforeAll(async () => {
      ({ workDir, victoria } = await loadedFleets()[index]!);
      const { fleet } = served();
      fleetStart = fleet.options.end - fleet.options.duration;
      writeFileSync(paths().rules, alertArtifacts(config).files.get(outputFiles.ruleFile)!);
      writeFileSync(paths().alerts, stringify({ groups: alertGroups }));
      const recording = recordingGroups(config);
      if (recording.length) {
        // Recorded as the Prometheus fleet's were, over the whole history, before any alert reads them, and at the
        // same instants: promtool evaluates a group at an offset of its own within the interval.
        const first = recording[0]!.rules[0]!.record;
        const [recorded] = (await served().prometheus.query(`{__name__="${first}"}[10m]`, end)).result;
        const offset = (recorded!.values![0]![0] - fleetStart) % evaluationInterval;
        writeFileSync(paths().recording, stringify({ groups: recording }));
        await replayRules(victoria, paths().recording, fleetStart + offset, end + scrapeInterval);
      }
    });

    it('every dashboard variable offers the same values on both engines', async () => {
      const { prometheus } = served();
      for (const dashboard of dashboardsOf(config)) {
        const expected = await resolveVariables(dashboard, prometheus, range);
        const actual = await resolveVariables(dashboard, victoria, range);
        expect(Object.keys(expected.options).length, dashboard.uid).toBeGreaterThan(0);
        expect(actual, dashboard.uid).toEqual(expected);
      }
    });

    for (const dashboard of dashboardsOf(config)) {
      it(`${dashboard.uid}: every target, as instant and as range query, answers as on Prometheus`, async () => {
        const { prometheus, fleet } = served();
        const variables = await resolveVariables(dashboard, prometheus, range);
        const recordedNames = recordingGroups(config).flatMap((group) => group.rules.map((rule) => rule.record));
        let total: Comparison = emptyComparison();
        let instants = 0;
        // Each target as its panel runs it, then the other way: a stat over the range, a graph at the end.
        const targets = prometheusTargets(dashboard);
        const runs = targets.flatMap((target) => [target, { ...target, instant: !target.instant }]);
        for (const target of runs) {
          const expected = await runTarget(prometheus, target, variables, range, scrapeInterval);
          const actual = await runTarget(victoria, target, variables, range, scrapeInterval);
          const mode = target.instant ? 'instant' : 'range';
          const where = `${dashboard.uid} / ${target.panelTitle} / ${target.refId} (${mode})`;
          const readsRecordedRates = recordedNames.some((name) => expected.expr.includes(name));
          total = addComparison(total, compareSeries(expected.series, actual.series, {
            where, fleet, clusterLabel: config.clusterLabel, expr: expected.expr, scrapeInterval, readsRecordedRates,
            recordedWindow: readsRecordedRates ? seconds(recordedWindow) : 0,
          }));
          if (target.instant && expected.series.length > 0) instants += 1;
        }
        expect(total.problems).toEqual([]);
        expect(total.equal).toBeGreaterThan(0);
        // What the differences excuse stays a small share of what was compared: no excuse covers a whole dashboard.
        expect(excusedCount(total)).toBeLessThan(total.equal);
        console.info(`${setup.name} / ${dashboard.uid}: ${JSON.stringify(total)}`);
        expect(instants).toBeGreaterThan(0);
      });
    }

    it('vmalert loads the rule file: every expression and template parses', async () => {
      await expect(checkRules([paths().rules])).resolves.toBeDefined();
    });

    it('each alert is pending or firing in vmalert\'s replay as its rule evaluates on Prometheus', async () => {
      const { prometheus } = served();
      // The alerts' replay starts after the recorded history begins and a rate window has passed.
      const from = fleetStart + 600;
      await replayRules(victoria, paths().alerts, from, end);
      const at = end;
      const alerts = await victoria.query('ALERTS', at);
      const stamps = await victoria.query('timestamp(ALERTS)', at);
      // Only what the replay's last evaluation wrote: an alert that ended before still shows within the staleness.
      const current = new Set(
        stamps.result.filter((series) => Number(series.value![1]) === at).map((series) => labelKey(series.metric)),
      );
      const groupOf = (alert: string) => alertGroups.find((group) => group.rules.some((r) => r.alert === alert))!.name;
      const actual = new Map<string, string[]>();
      for (const series of alerts.result.filter((s) => current.has(labelKey(withoutName(s.metric))))) {
        const { [alertGroupLabel]: group, ...labels } = withoutName(series.metric);
        expect(group, labels.alertname).toBe(groupOf(labels.alertname!));
        actual.set(labels.alertname!, [...(actual.get(labels.alertname!) ?? []), labelKey(labels)]);
      }
      const recordedNames = recordingGroups(config).flatMap((group) => group.rules.map((rule) => rule.record));
      const differing: string[] = [];
      let firing = 0;
      for (const rule of alertGroups.flatMap((group) => group.rules).filter((r) => r.alert)) {
        const hold = seconds(rule.for);
        const now = await prometheus.query(rule.expr, at);
        // Firing where the rule held at every evaluation of the last `for` within the replay; pending otherwise.
        const held = hold === 0 ? now : await prometheus.queryRange(rule.expr, {
          start: at - hold, end: at, step: evaluationInterval,
        });
        const steps = hold / evaluationInterval + 1;
        const heldThroughout = held.result.filter((series) => pointsOf(series).length === steps);
        const holding = new Set(at - hold < from ? [] : heldThroughout.map((series) => labelKey(series.metric)));
        const expected = now.result.map((series) => {
          const state = holding.has(labelKey(series.metric)) ? 'firing' : 'pending';
          return labelKey({ ...series.metric, ...rule.labels, alertname: rule.alert!, alertstate: state });
        });
        const fired = actual.get(rule.alert!) ?? [];
        firing += fired.filter((key) => key.includes('"alertstate","firing"')).length;
        if (recordedNames.some((name) => rule.expr.includes(name))) {
          // A threshold on recorded rates: each engine compares its own rates (see the recorded rates' test), so an
          // alert near its threshold may differ; both must still find alerts where Prometheus finds them.
          expect(fired.length > 0, rule.alert).toBe(expected.length > 0);
          const different = [...expected, ...fired].filter((key) => !expected.includes(key) || !fired.includes(key));
          differing.push(`${rule.alert}: ${different.length} of ${expected.length} differ`);
          continue;
        }
        expect(fired.sort(), rule.alert).toEqual(expected.sort());
      }
      expect(firing).toBeGreaterThan(0);
      if (differing.length) console.info(`${setup.name} / alerts on recorded rates: ${differing.join('; ')}`);
    });

    if (config.recordingRules) {
      it('vmalert records at promtool\'s instants what Prometheus recorded, within rate extrapolation', async () => {
        const { prometheus, fleet } = served();
        let total: Comparison = emptyComparison();
        for (const rule of recordingGroups(config).flatMap((group) => group.rules)) {
          // Every recorded sample of the last hour, at its own instant.
          const query = `{__name__="${rule.record}"}[${dashboardRange}s]`;
          // promtool evaluates at the group's offset to the millisecond, vmalert at the whole second before it: in the
          // same scrape interval, so that both windows hold the same samples.
          // The first and last minute are left out: a window's edge may fall between the two instants.
          const inner = (time: number) =>
            time >= range.from + evaluationInterval && time <= range.to - evaluationInterval;
          const wholeSeconds = (series: PromSeries): PromSeries => ({
            ...series,
            values: series.values!.map(([time, value]): [number, string] => [Math.floor(time), value])
              .filter(([time]) => inner(time)),
          });
          const expected = (await prometheus.query(query, end)).result.map(wholeSeconds);
          const actual = (await victoria.query(query, end)).result.map(wholeSeconds);
          expect(expected.length, rule.record).toBeGreaterThan(0);
          const instants = expected[0]!.values!.map(([time]) => time);
          const steps = { start: instants[0]!, end: instants.at(-1)!, step: evaluationInterval };
          const allowances = /:p\d\d_rate/.test(rule.record)
            ? await quantileAllowances(prometheus, rule.expr, scrapeInterval, steps)
            : valuesByInstant((await prometheus.queryRange(rateBound(rule.expr, scrapeInterval), steps)).result);
          total = addComparison(total, compareSeries(expected, actual, {
            where: rule.record, fleet, clusterLabel: config.clusterLabel, expr: rule.expr, scrapeInterval,
            rateAllowance: (labels, time) => allowances.get(instantKey(withoutName(labels), time)),
          }));
        }
        console.info(`${setup.name} / recorded: ${JSON.stringify(total)}`);
        expect(total.problems).toEqual([]);
        expect(total.equal + total.excused['rate extrapolation']).toBeGreaterThan(0);
      });
    }
  });
});

describe('vmalert', () => {
  it('refuses a rule file with an expression it cannot parse, so that its check can fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-vmalert-'));
    try {
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, stringify({ groups: [{ name: 'broken', rules: [{ alert: 'Broken', expr: 'sum by(' }] }] }));
      await expect(checkRules([broken])).rejects.toThrow(/vmalert failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The most a `sum by(…) (rate(selector[w]))` may differ between the engines at an instant between scrapes: each
 * `rate` becomes the largest increase over one scrape interval in the window and the interval before it, over w.
 */
function rateBound(expr: string, scrapeInterval: number): string {
  const rate = /rate\((\w+\{[^}]*\})\[(\d+)m\]\)/g;
  if (!rate.test(expr)) throw new Error(`${expr} has no rate(selector[Nm]) to bound`);
  return expr.replace(rate, (_match, selector: string, minutes: string) => {
    const window = Number(minutes) * 60;
    const increase = `${selector} - ${selector} offset ${scrapeInterval}s`;
    return `(max_over_time((${increase})[${window + scrapeInterval}s:${scrapeInterval}s]) / ${window})`;
  });
}

/** How far Prometheus' extrapolation alone moves a quantile interpolated within its bucket, relative to it. */
const quantileInterpolationSlack = 0.01;

/**
 * How far a recorded quantile may move between engines: VictoriaMetrics' rate also counts the increase up to the last
 * sample before the window, so its buckets' rates are Prometheus' over a window one scrape longer (or, without
 * extrapolation, shorter). The allowance at each instant is how far Prometheus' own quantile moves over those windows.
 */
async function quantileAllowances(
  prometheus: PrometheusClient, expr: string, scrape: number, steps: { start: number; end: number; step: number },
): Promise<Map<string, number>> {
  const window = /\[(\d+)m\]/.exec(expr);
  if (!window) throw new Error(`${expr} has no [Nm] window`);
  const seconds = Number(window[1]) * 60;
  const valuesOver = async (length: number) => {
    const { result } = await prometheus.queryRange(expr.replaceAll(window[0], `[${length}s]`), steps);
    return valuesByInstant(result);
  };
  const [own, ...others] = await Promise.all([seconds, seconds + scrape, seconds - scrape].map(valuesOver));
  const allowances = new Map<string, number>();
  for (const [key, value] of own!) {
    const moved = others.map((values) => Math.abs((values.get(key) ?? value) - value)).filter((d) => !Number.isNaN(d));
    // Prometheus stops extrapolating a counter at zero, bucket by bucket: the buckets' ratios, and so the point
    // interpolated between them, move by a fraction of a percent that VictoriaMetrics' unextrapolated rate does not.
    allowances.set(key, Math.max(Math.abs(value) * quantileInterpolationSlack, ...moved));
  }
  return allowances;
}

const valuesByInstant = (result: PromSeries[]) =>
  new Map(result.flatMap((series) =>
    series.values!.map(([time, value]) => [instantKey(series.metric, time), Number(value)] as const)));

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

function pointsOf(series: PromSeries): Array<[number, string]> {
  return series.values ?? (series.value ? [series.value] : []);
}
