/** The cases of the per-kind readiness alerts: critical after 15 minutes, for their kind only. */
import type { FluxObject } from '../fixtures';
import type { Case, CaseContext } from './context';

export function notReadyCases(c: CaseContext, object: FluxObject, consequence: string, otherKind: FluxObject): Case[] {
  const failing = c.f.object(object, { ready: 'False' }, '1x30');
  const alert = c.objectAlert(object, 'critical', `A Flux ${object.kind} has not been ready for more than 15 minutes.`,
    `${c.named(object)} has been Ready=False for more than 15 minutes: ${consequence}.`);
  return [
    { name: `${object.kind} False for 16m`, evalTime: '16m', series: failing, expected: [alert] },
    { name: `${object.kind} False for only 14m`, evalTime: '14m', series: failing, expected: [] },
    {
      name: 'another kind False',
      evalTime: '20m',
      series: c.f.object(otherKind, { ready: 'False' }, '1x30'),
      expected: [],
    },
  ];
}
