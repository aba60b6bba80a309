import { describe, expect, it } from 'vitest';
import { MovementRecorder } from '../../../shared/game/recorder';

describe('MovementRecorder', () => {
  it('returns the samples of a time window, oldest first', () => {
    const r = new MovementRecorder(10);
    for (let i = 0; i < 5; i++) r.push(i / 10, [i, 0, 0], [0, i, 0], [0, 0, i]);
    const w = r.window(0.1, 0.3);
    expect(w.t).toEqual([0.1, 0.2, 0.3]);
    expect(w.hand).toEqual([
      [1, 0, 0],
      [2, 0, 0],
      [3, 0, 0],
    ]);
    expect(w.otherHand[0]).toEqual([0, 1, 0]);
    expect(w.head[2]).toEqual([0, 0, 3]);
  });

  it('overwrites the oldest samples when full and keeps order across the wrap', () => {
    const r = new MovementRecorder(4);
    for (let i = 0; i < 7; i++) r.push(i, [i, 0, 0], [0, 0, 0], [0, 0, 0]);
    expect(r.size).toBe(4);
    const w = r.window(-Infinity, Infinity);
    expect(w.t).toEqual([3, 4, 5, 6]);
    expect(w.hand.map((h) => h[0])).toEqual([3, 4, 5, 6]);
  });

  it('keeps the latest samples when a window exceeds the limit', () => {
    const r = new MovementRecorder(10);
    for (let i = 0; i < 10; i++) r.push(i, [i, 0, 0], [0, 0, 0], [0, 0, 0]);
    expect(r.window(0, 9, 3).t).toEqual([7, 8, 9]);
  });

  it('stores Float32 positions (the tracking precision) and Float64 times', () => {
    const r = new MovementRecorder(2);
    r.push(1234.5678901, [0.1, 0.2, 0.3], [0, 0, 0], [0, 0, 0]);
    const w = r.window(0, 2000);
    expect(w.t[0]).toBe(1234.5678901);
    expect(w.hand[0]![0]).toBe(Math.fround(0.1));
  });
});
