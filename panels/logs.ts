/** Panels over the Flux controllers' logs in Loki. */
import { logLevels } from '../queries/logs';
import type { Query } from '../queries/query';
import { logCountPanel, logsPanel } from './common';

/** Each level in the colour Grafana's log volume gives it, so that only errors read as bad (never info in yellow). */
const levelColours: Record<(typeof logLevels)[number], string> = {
  error: 'red',
  info: 'green',
  debug: 'blue',
  trace: 'light-blue',
};

export const logVolumeByLevel = (query: Query) => {
  const panel = logCountPanel({
    title: 'Log volume by level',
    stacked: true,
    description:
      'JSON log lines per interval by level (debug, info, error, trace), for the chosen controllers, object and ' +
      'search text. Lines that are not JSON (a panic, klog at start-up) are left out here and shown in All logs.',
  }, [query]);
  for (const level of logLevels) {
    panel.overrideByName(level, [{ id: 'color', value: { mode: 'fixed', fixedColor: levelColours[level] } }]);
  }
  return panel;
};

export const errorsByController = (query: Query) =>
  logCountPanel({
    title: 'Errors by controller',
    stacked: true,
    description: 'Error-level JSON log lines per interval, per controller.',
  }, [query]);

export const reconciliationFailuresByKind = (query: Query) =>
  logCountPanel({
    title: 'Reconciliation failures',
    stacked: true,
    description:
      'Failed reconciliations per reconciled kind: error-level lines saying "Reconciliation failed…" (Flux), ' +
      '"Reconciler error" (controller-runtime) or "reconciliation stalled", and source-controller\'s errors, ' +
      'which it logs as the bare error text.',
  }, [query]);

export const reconciliationFailureLines = (query: Query) =>
  logsPanel({
    title: 'Reconciliation failure logs',
    description:
      'The failure lines themselves ("Reconciliation failed", "Reconciler error", "reconciliation stalled", ' +
      'source-controller\'s errors), with the error that caused them.',
  }, query);

export const errorLines = (query: Query) =>
  logsPanel({
    title: 'Error logs',
    description: 'Every error-level line of the chosen controllers, newest first.',
  }, query);

export const allLines = (query: Query) =>
  logsPanel({
    title: 'All logs',
    description:
      'Every line of the chosen controllers at the chosen levels (debug included), newest first; with every ' +
      'level chosen, also the lines that are not JSON (a panic\'s stack trace, klog at start-up).',
  }, query);
