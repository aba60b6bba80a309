import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../client/therapist/state/route';
import { IDLE_LOGOUT_MS, signOutReason } from '../../../client/therapist/state/idle';
import { trendDirection } from '../../../client/therapist/patients/trend';

describe('routes', () => {
  it('parses every page and round-trips through routeHref', () => {
    const routes: Route[] = [
      { page: 'patients' },
      { page: 'patient', patientId: 'p-1' },
      { page: 'live', patientId: 'p-1' },
      { page: 'history', patientId: 'p-1' },
      { page: 'report', patientId: 'p-1', sessionId: 's_2' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('falls back to the patient list for anything unknown or malformed', () => {
    expect(parseRoute('')).toEqual({ page: 'patients' });
    expect(parseRoute('#/elsewhere/x')).toEqual({ page: 'patients' });
    expect(parseRoute('#/patients/<script>')).toEqual({ page: 'patients' });
    expect(parseRoute('#/patients/p1/sessions')).toEqual({ page: 'patient', patientId: 'p1' });
  });
});

describe('idle sign-out', () => {
  it('signs out after 15 minutes without activity, and at token expiry first', () => {
    expect(IDLE_LOGOUT_MS).toBe(900_000);
    expect(signOutReason(899_999, 0, 10_000_000)).toBeNull();
    expect(signOutReason(900_000, 0, 10_000_000)).toBe('idle');
    expect(signOutReason(5000, 4000, 5000)).toBe('expired');
    expect(signOutReason(1_000_000, 0, 5000)).toBe('expired');
  });
});

describe('trend direction', () => {
  it('compares the newer half of sessions with the older half', () => {
    expect(trendDirection([0.5, 0.6, 0.7, 0.8])).toBe('up');
    expect(trendDirection([0.8, 0.7, 0.6, 0.5])).toBe('down');
    expect(trendDirection([0.7, 0.71, 0.69, 0.7])).toBe('steady');
  });

  it('ignores missing values and needs two', () => {
    expect(trendDirection([null, 0.5, null])).toBeNull();
    expect(trendDirection([0.5, null, 0.9])).toBe('up');
    expect(trendDirection([])).toBeNull();
  });

  it('treats changes within 5 % of the older value as steady', () => {
    expect(trendDirection([1, 1.049])).toBe('steady');
    expect(trendDirection([1, 1.051])).toBe('up');
    expect(trendDirection([1, 0.951])).toBe('steady');
  });
});
