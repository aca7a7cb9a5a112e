/** The recording rules: every recorded rate of the query library, in the rule scope of the configuration. */
import type { Config } from '../config';
import { recordedWindow, recordingRule, type RecordedRate, type RecordingRule } from '../queries/recorded';
import { recordedRates as controllerRates } from '../queries/controllers';
import { recordedRates as objectRates } from '../queries/objects';
import { recordingScope } from '../queries/scope';

export { recordingInterval, type RecordingRule } from '../queries/recorded';

/** None unless `recordingRules` is on: then the dashboards and alerts read what these write. */
export function recordingRules(config: Config): RecordingRule[] {
  if (!config.recordingRules) return [];
  const scope = recordingScope(config, recordedWindow);
  const rates: RecordedRate[] = [...Object.values(controllerRates), ...Object.values(objectRates)];
  return rates.map((rate) => recordingRule(scope, rate));
}
