import { describe, expect, it } from 'vitest';
import {
  butter2Lowpass,
  computeReachMetrics,
  filtfilt,
  gradient,
  ldlj,
  sparc,
  splineResample,
  SPEC_VERSION,
} from '../../../shared/clinical/index';
import { fft } from '../../../shared/clinical/fft';
import { mj100 } from './helpers';

const rel = (actual: number | null, expected: number, tol = 1e-6) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
};

describe('MJ100 test vector (spec B)', () => {
  it('matches every value without filter', () => {
    const m = computeReachMetrics(mj100(), { filterHz: 0 });
    expect([m.iOnset, m.iPeak, m.iOffset]).toEqual([56, 100, 144]);
    rel(m.reactionTime, 0.559145671);
    rel(m.movementTime, 0.881708658);
    rel(m.peakSpeed, 0.562350018);
    rel(m.pathLength, 0.298817841);
    rel(m.pathRatio, 1);
    expect(m.speedPeaks).toBe(1);
    rel(m.sparc, -1.40605777);
    rel(m.ldlj, -4.39688361);
    rel(m.normalizedJerk, 10.672013);
    rel(m.endpointError, 5.9107968e-4);
    expect(m.flags).toEqual([]);
    expect(m.specVersion).toBe(SPEC_VERSION);
  });

  it('matches every value with the 6 Hz filter (default)', () => {
    const m = computeReachMetrics(mj100());
    expect([m.iOnset, m.iPeak, m.iOffset]).toEqual([56, 100, 144]);
    rel(m.reactionTime, 0.557472209);
    rel(m.movementTime, 0.885055583);
    rel(m.peakSpeed, 0.56224809);
    rel(m.pathLength, 0.298769297);
    rel(m.pathRatio, 1);
    expect(m.speedPeaks).toBe(1);
    rel(m.sparc, -1.40601562);
    rel(m.ldlj, -4.4368884);
    rel(m.normalizedJerk, 10.8874232);
    rel(m.endpointError, 6.1535155e-4);
  });

  it('reports trunk compensation of the head vector (0.04980 m, 16.667 %)', () => {
    const m = computeReachMetrics(mj100(), { filterHz: 0 });
    rel(m.trunkForward, 0.0498, 1e-4);
    rel(m.trunkRatioPct, 16.667, 1e-4);
    // The head also drops 1 cm, so its total displacement exceeds the forward part.
    expect(m.trunkMax!).toBeGreaterThan(m.trunkForward!);
  });

  it('splits the endpoint error: the reach stops short of the target along the reach', () => {
    const m = computeReachMetrics(mj100(), { filterHz: 0 });
    rel(m.endpointAlong, -5.9107968e-4);
    expect(m.endpointPerp!).toBeLessThan(1e-12);
    expect(m.timeToPeakPct!).toBeCloseTo(50, 6);
    expect(m.minDistanceToTarget!).toBeLessThan(1e-12);
  });

  it('has no trunk metrics without head samples', () => {
    const m = computeReachMetrics(mj100(false));
    expect(m.trunkForward).toBeNull();
    expect(m.trunkRatioPct).toBeNull();
    rel(m.sparc, -1.40601562);
  });
});

describe('smoothness functions alone (spec B)', () => {
  it('Gaussian exp(-5 t^2): SPARC -1.414031, LDLJ -5.816357', () => {
    const v = Array.from({ length: 200 }, (_, k) => Math.exp(-5 * (-1 + 0.01 * k) ** 2));
    rel(sparc(v, 100), -1.414031);
    rel(ldlj(v, 100), -5.816357);
  });

  it('minimum-jerk speed: SPARC -1.405829, LDLJ -5.301633', () => {
    const v = Array.from({ length: 101 }, (_, k) => {
      const q = k / 100;
      return 30 * q ** 4 - 60 * q ** 3 + 30 * q ** 2;
    });
    rel(sparc(v, 100), -1.405829);
    rel(ldlj(v, 100), -5.301633);
  });

  it('LDLJ of a 3-D velocity equals that of the same 1-D profile along one axis', () => {
    const v = Array.from({ length: 50 }, (_, k) => Math.sin((Math.PI * k) / 49));
    const v3 = v.map((s) => [0.6 * s, 0, 0.8 * s] as [number, number, number]);
    expect(ldlj(v3, 100)).toBeCloseTo(ldlj(v, 100), 10);
  });

  it('ideal minimum-jerk reach: SPARC within [-1.407, -1.393] from 72 to 1000 Hz', () => {
    for (const fs of [72, 90, 120, 250, 1000]) {
      const n = Math.round(fs);
      const v = Array.from({ length: n + 1 }, (_, k) => {
        const q = k / n;
        return 30 * q ** 4 - 60 * q ** 3 + 30 * q ** 2;
      });
      const s = sparc(v, fs);
      expect(s).toBeGreaterThanOrEqual(-1.407);
      expect(s).toBeLessThanOrEqual(-1.393);
    }
  });

  it('degenerate profiles return NaN, not a number that looks valid', () => {
    expect(sparc([], 100)).toBeNaN();
    expect(sparc([0, 0, 0], 100)).toBeNaN();
    expect(ldlj([1, 1], 100)).toBeNaN();
  });
});

describe('building blocks against NumPy/SciPy', () => {
  it('butter2Lowpass equals scipy.signal.butter(2, 6, fs=90)', () => {
    const f = butter2Lowpass(6, 90);
    expect(f.b0).toBeCloseTo(0.033571809367640704, 15);
    expect(f.b1).toBeCloseTo(0.06714361873528141, 15);
    expect(f.b2).toBeCloseTo(0.033571809367640704, 15);
    expect(f.a1).toBeCloseTo(-1.4189826522181201, 14);
    expect(f.a2).toBeCloseTo(0.553269889688683, 14);
  });

  it('filtfilt equals scipy.signal.filtfilt with default padding', () => {
    const x = Float64Array.from({ length: 20 }, (_, i) => Math.sin(0.3 * i) + 0.1 * ((i * 7) % 5));
    const y = filtfilt(x, butter2Lowpass(6, 90));
    const expected = [
      0.028014306735760677, 0.9913462082221176, 0.3299798358903164, -0.3020456016351013,
    ];
    [0, 5, 10, 19].forEach((i, k) => expect(y[i]).toBeCloseTo(expected[k]!, 12));
    expect(() => filtfilt(new Float64Array(9), butter2Lowpass(6, 90))).toThrow(/more than 9/);
  });

  it('splineResample equals scipy CubicSpline(bc_type="natural")', () => {
    const x = Float64Array.from([0, 0.1, 0.25, 0.3, 0.5, 0.7]);
    const y = Float64Array.from([1, 2, 0.5, 0.7, 1.5, -1]);
    const xs = Float64Array.from([0.05, 0.2, 0.4, 0.65, 0.7]);
    const [out] = splineResample(x, [y], xs);
    const expected = [
      1.712912360890302, 0.9124933757286697, 1.3761526232114472, -0.1747192965023857, -1,
    ];
    expected.forEach((e, i) => expect(out![i]).toBeCloseTo(e, 12));
  });

  it('gradient equals numpy.gradient(f, 0.5)', () => {
    expect(Array.from(gradient(Float64Array.from([1, 4, 9, 16, 30]), 2))).toEqual([
      6, 8, 12, 21, 28,
    ]);
  });

  it('fft equals a direct DFT', () => {
    const n = 16;
    const x = Array.from({ length: n }, (_, i) => Math.cos(i) + i * 0.1);
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fft(re, im);
    for (let k = 0; k < n; k++) {
      let r = 0;
      let m = 0;
      for (let j = 0; j < n; j++) {
        r += x[j]! * Math.cos((-2 * Math.PI * j * k) / n);
        m += x[j]! * Math.sin((-2 * Math.PI * j * k) / n);
      }
      expect(re[k]).toBeCloseTo(r, 10);
      expect(im[k]).toBeCloseTo(m, 10);
    }
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow();
  });
});
