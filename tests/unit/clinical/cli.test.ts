import { describe, expect, it } from 'vitest';
import { inputFromCsv, parseArgs } from '../../../server/cli/metrics';
import { computeReachMetrics } from '../../../shared/clinical/index';
import { mj100 } from './helpers';

const toCsv = (withTarget: boolean) => {
  const r = mj100();
  const head =
    't,hand_x,hand_y,hand_z,head_x,head_y,head_z' +
    (withTarget ? ',target_x,target_y,target_z' : '');
  const lines = r.t.map((t, i) =>
    [t, ...r.hand[i]!, ...r.head![i]!, ...(withTarget ? r.target : [])].join(','),
  );
  return [head, ...lines].join('\n') + '\n';
};

describe('metrics CLI parsing', () => {
  it('parses flags in both forms', () => {
    expect(parseArgs(['a.csv', '--target', '1,2,3', '--tgo=0.5'])).toEqual({
      opts: { target: '1,2,3', tgo: '0.5' },
      files: ['a.csv'],
    });
  });

  it('gives the library the same input as the MJ100 vector (target from flag or columns)', () => {
    const ref = computeReachMetrics(mj100());
    for (const [csv, opts] of [
      [toCsv(false), { target: '0.28,1.2,0.44', tgo: '0' }],
      [toCsv(true), {}],
    ] as const) {
      const m = computeReachMetrics(inputFromCsv(csv, opts));
      expect(m.iOnset).toBe(56);
      expect(m.sparc!).toBeCloseTo(ref.sparc!, 9);
      expect(m.trunkForward!).toBeCloseTo(ref.trunkForward!, 9);
    }
  });

  it('explains what is missing', () => {
    expect(() => inputFromCsv('t,hand_x\n0,1\n', {})).toThrow(
      /missing column\(s\): hand_y, hand_z/,
    );
    expect(() => inputFromCsv(toCsv(false), {})).toThrow(/--target/);
    expect(() => inputFromCsv(toCsv(false), { target: '1,2' })).toThrow(/x,y,z/);
  });
});
