import { describe, expect, it } from 'vitest';
import { mathExpression } from '../../preview/scene-of';
import type { TargetResult } from '../helpers/render/frames';

const result = (refId: string, series: TargetResult['series']): TargetResult =>
  ({ refId, expr: refId, table: false, legend: undefined, step: 60, series });

const reconciles = result('A', [
  { metric: { controller: 'kustomization' }, values: [[60, '10'], [120, '20']] },
  { metric: { controller: 'helmrelease' }, values: [[60, '4']] },
]);
const errors = result('B', [
  { metric: { controller: 'kustomization' }, values: [[60, '5'], [120, '5'], [180, '1']] },
  { metric: { controller: 'source' }, values: [[60, '1']] },
]);

describe("the preview's server-side math expression", () => {
  it('joins series on equal labels and points on equal times, as Grafana does', () => {
    const ratio = mathExpression('$B / $A', [reconciles, errors], 'D');
    expect(ratio.refId).toBe('D');
    expect(ratio.series).toEqual([{ metric: { controller: 'kustomization' }, values: [[60, '0.5'], [120, '0.25']] }]);
  });

  it('refuses what it cannot compute, so that the panel shows an error and not a made-up line', () => {
    expect(() => mathExpression('abs($B)', [reconciles, errors], 'D')).toThrow(/computes no math expression/);
    expect(() => mathExpression('$B / $Z', [reconciles, errors], 'D')).toThrow(/computes no math expression/);
  });
});
