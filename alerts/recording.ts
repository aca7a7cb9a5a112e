/** The recording rules: every recorded rate of the query library, in the rule scope of the configuration. */
import type { Config } from '../config';
import {
  recordedLabels, recordedName, recordedWindow, recordingRule, type RecordedRate, type RecordingRule,
} from '../queries/recorded';
import { recordedRates as controllerRates } from '../queries/controllers';
import { recordedRates as objectRates } from '../queries/objects';
import { recordingScope } from '../queries/scope';

export { recordingInterval, type RecordingRule } from '../queries/recorded';

const recordedRates: RecordedRate[] = [...Object.values(controllerRates), ...Object.values(objectRates)];

/** None unless `recordingRules` is on: then the dashboards and alerts read what these write. */
export function recordingRules(config: Config): RecordingRule[] {
  if (!config.recordingRules) return [];
  const scope = recordingScope(config, recordedWindow);
  return recordedRates.map((rate) => recordingRule(scope, rate));
}

/** Each series the recording rules write, with the labels it carries (whether or not the rules are on). */
export function recordedSeries(config: Config): Array<{ name: string; labels: string[] }> {
  const scope = recordingScope(config, recordedWindow);
  return recordedRates.map((rate) => ({ name: recordedName(scope, rate), labels: recordedLabels(scope, rate) }));
}
