/** Panels over the Flux controllers' logs in Loki. */
import type { Query } from '../queries/query';
import { logCountPanel, logsPanel } from './common';

export const logVolumeByLevel = (query: Query) =>
  logCountPanel({
    title: 'Log volume by level',
    stacked: true,
    description:
      'Log lines per interval by level (debug, info, error, trace), for the chosen controllers, object and ' +
      'search text.',
  }, [query]);

export const errorsByController = (query: Query) =>
  logCountPanel({
    title: 'Errors by controller',
    stacked: true,
    description: 'Error-level log lines per interval, per controller.',
  }, [query]);

export const reconciliationFailuresByKind = (query: Query) =>
  logCountPanel({
    title: 'Reconciliation failures',
    stacked: true,
    description:
      'Lines saying "Reconciliation failed…" (Flux) or "Reconciler error" (controller-runtime), per reconciled kind.',
  }, [query]);

export const reconciliationFailureLines = (query: Query) =>
  logsPanel({
    title: 'Reconciliation failure logs',
    description:
      'The "Reconciliation failed" and "Reconciler error" lines themselves, with the error that caused them.',
  }, query);

export const errorLines = (query: Query) =>
  logsPanel({
    title: 'Error logs',
    description: 'Every error-level line of the chosen controllers, newest first.',
  }, query);

export const allLines = (query: Query) =>
  logsPanel({
    title: 'All logs',
    description: 'Every line of the chosen controllers at the chosen levels (debug included), newest first.',
  }, query);
