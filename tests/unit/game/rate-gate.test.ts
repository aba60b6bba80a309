import { describe, expect, it } from 'vitest';
import { createRateGate, rateGateDue } from '../../../shared/game/rate-gate';

/** Frames of one second at `fps`; returns the indices of the frames that send. */
function sendsAt(fps: number, hz: number): number[] {
  const gate = createRateGate(hz);
  const sent: number[] = [];
  for (let i = 0; i < fps; i++) if (rateGateDue(gate, i / fps)) sent.push(i);
  return sent;
}

describe('rateGateDue', () => {
  it('sends 30 a second at 72 Hz, spread over the frames', () => {
    const sent = sendsAt(72, 30);
    expect(sent.length).toBe(30);
    expect(sent.slice(0, 6)).toEqual([0, 3, 5, 8, 10, 12]);
  });

  it('sends every 4th frame at 120 Hz and every frame at 30 Hz', () => {
    expect(sendsAt(120, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i * 4));
    expect(sendsAt(30, 30).length).toBe(30);
  });

  it('never sends above the frame rate: at 20 Hz, every frame and no more', () => {
    expect(sendsAt(20, 30).length).toBe(20);
  });

  it('does not burst after a stall', () => {
    const gate = createRateGate(30);
    expect(rateGateDue(gate, 0)).toBe(true);
    expect(rateGateDue(gate, 1)).toBe(true);
    expect(rateGateDue(gate, 1 + 1 / 72)).toBe(false);
    expect(rateGateDue(gate, 1 + 2 / 72)).toBe(false);
    expect(rateGateDue(gate, 1 + 3 / 72)).toBe(true);
  });
});
