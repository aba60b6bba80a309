import { describe, expect, it } from 'vitest';
import {
  ALERT_CSV_COLUMNS,
  alertsToCsv,
  painAlertRows,
  type PatientAlertRow,
  type SetRatingRow,
} from '../../../shared/clinical/index';

const MONDAY = '2026-03-02T09:00:00.000Z';
const TUESDAY = '2026-03-03T09:00:00.000Z';

const rating = (over: Partial<SetRatingRow>): SetRatingRow => ({
  sessionId: 's-2',
  sessionStartedAt: TUESDAY,
  patientCode: 'P-7',
  setIndex: 0,
  arm: 'right',
  effort: 4,
  pain: 2,
  skipped: false,
  painPauseAt: 6,
  ratedAt: '2026-03-03T09:05:00.000Z',
  ...over,
});

const abnormal: PatientAlertRow = {
  kind: 'abnormal_trial',
  sessionId: 's-2',
  sessionStartedAt: TUESDAY,
  patientCode: 'P-7',
  raisedAt: '2026-03-03T09:04:00.000Z',
  arm: 'right',
  trialNumber: 12,
  setIndex: null,
  flaggedTrials: 2,
  pain: null,
  painPauseAt: null,
  text: 'A reach unusual for this patient: movement time 3.00 s; slower, than "usual".',
};
const fatigue: PatientAlertRow = {
  ...abnormal,
  kind: 'fatigue',
  sessionId: 's-1',
  sessionStartedAt: MONDAY,
  raisedAt: '2026-03-02T09:20:00.000Z',
  trialNumber: 40,
  flaggedTrials: null,
  text: 'Signs of fatigue (touch, right arm): movement time up 40 %.',
};

describe('alerts.csv', () => {
  it('counts as a pain alert every rating at or above the threshold the headset applied', () => {
    const rows = painAlertRows([
      rating({ setIndex: 0, pain: 5 }),
      rating({ setIndex: 1, pain: 6, ratedAt: '2026-03-03T09:06:00.000Z' }),
      rating({ setIndex: 2, pain: null, effort: 3 }),
      rating({ setIndex: 3, pain: 9, painPauseAt: 10 }),
    ]);
    expect(rows).toEqual([
      {
        kind: 'pain_reported',
        sessionId: 's-2',
        sessionStartedAt: TUESDAY,
        patientCode: 'P-7',
        raisedAt: '2026-03-03T09:06:00.000Z',
        arm: 'right',
        trialNumber: null,
        setIndex: 1,
        flaggedTrials: null,
        pain: 6,
        painPauseAt: 6,
        text: 'Pain 6/10 reported after set 2 (right arm), at or above 6: the session paused.',
      },
    ]);
  });

  it('lists the sessions oldest first, each one’s alerts as raised, with empty cells for what a kind has not', () => {
    const pain = painAlertRows([rating({ setIndex: 1, pain: 7 })]);
    const csv = alertsToCsv([...pain, abnormal, fatigue]);
    expect(csv.split('\r\n')).toEqual([
      'spec_version,session_id,session_started_at,patient_code,kind,raised_at,arm,trial_number,set_number,flagged_trials,pain_nrs,pain_pause_at,text',
      '1,s-1,2026-03-02T09:00:00.000Z,P-7,fatigue,2026-03-02T09:20:00.000Z,right,40,,,,,"Signs of fatigue (touch, right arm): movement time up 40 %."',
      '1,s-2,2026-03-03T09:00:00.000Z,P-7,abnormal_trial,2026-03-03T09:04:00.000Z,right,12,,2,,,"A reach unusual for this patient: movement time 3.00 s; slower, than ""usual""."',
      '1,s-2,2026-03-03T09:00:00.000Z,P-7,pain_reported,2026-03-03T09:05:00.000Z,right,,2,,7,6,"Pain 7/10 reported after set 2 (right arm), at or above 6: the session paused."',
      '',
    ]);
    expect(ALERT_CSV_COLUMNS).toHaveLength(13);
  });
});
