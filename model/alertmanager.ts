/** Facts of the Alertmanager side the build writes: receiver names, notification timings, the object's name. */

/** The name of the AlertmanagerConfig object and the prefix of every receiver the route tree names. */
export const alertmanagerObjectName = 'flux-alerts';

/** A placeholder receiver of the route tree: `flux-critical`, or `flux-critical-team` for owner-labelled alerts. */
export const receiverName = (severity: string, ownerLabel?: string): string =>
  `flux-${severity}${ownerLabel ? `-${ownerLabel}` : ''}`;

/** How Alertmanager batches notifications (`group_wait`, `group_interval`, `repeat_interval`), as it writes them. */
export interface NotificationTimings {
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

/**
 * Alertmanager's own defaults for waiting and batching; critical alerts repeat sooner than the others, which repeat
 * at Alertmanager's default of 4h.
 */
export const defaultTimings: Record<'critical' | 'other', NotificationTimings> = {
  critical: { groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
  other: { groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
};
