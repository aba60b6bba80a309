import { describe, expect, it } from 'vitest';
import { MAX_POSE_FRAME_BASE64_LENGTH } from '../../../shared/protocol';
import {
  decodePoseBatch,
  encodePoseBatch,
  framesIn,
  PoseBatcher,
  RemoteWatchers,
} from '../../../server/live/pose-batch';

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const FRAME = 'AQAHAAAAAAA=';

describe('PoseBatcher', () => {
  it('gathers frames per destination, in order, and hands each batch over once', () => {
    const batcher = new PoseBatcher(10);
    expect(batcher.isEmpty).toBe(true);
    batcher.add(A, 'p1', 'alias-01', 'f1');
    batcher.add(B, 'p2', 'alias-02', 'f2');
    batcher.add(A, 'p3', 'alias-03', 'f3');
    expect(batcher.isEmpty).toBe(false);
    expect(batcher.takeAll()).toEqual(
      new Map([
        [A, ['p1', 'alias-01', 'f1', 'p3', 'alias-03', 'f3']],
        [B, ['p2', 'alias-02', 'f2']],
      ]),
    );
    expect(batcher.isEmpty).toBe(true);
    expect(batcher.takeAll().size).toBe(0);
  });

  it('says when a batch is full, so it goes at once and never grows past the bound', () => {
    const batcher = new PoseBatcher(3);
    expect(batcher.add(A, 'p', 'alias-01', 'f1')).toBe(false);
    expect(batcher.add(A, 'p', 'alias-01', 'f2')).toBe(false);
    expect(batcher.add(B, 'q', 'alias-02', 'g1')).toBe(false);
    expect(batcher.add(A, 'p', 'alias-01', 'f3')).toBe(true);
    const full = batcher.take(A)!;
    expect(framesIn(full)).toBe(3);
    expect(batcher.take(A)).toBeNull();
    expect(batcher.add(A, 'p', 'alias-01', 'f4')).toBe(false);
    expect([...batcher.takeAll().keys()]).toEqual([B, A]);
  });
});

describe('pose batch wire form', () => {
  const entries = ['patient-1', 'abcd_-12', FRAME, 'patient-2', 'ABCDEFGH', FRAME];

  it('decodes what it encodes', () => {
    expect(decodePoseBatch(encodePoseBatch(entries), 2)).toEqual(entries);
  });

  it.each([
    ['not JSON', '[', 10],
    ['not a list', '{"a":1}', 10],
    ['a frame cut short', JSON.stringify(entries.slice(0, 5)), 10],
    ['more frames than the bound', JSON.stringify(entries), 1],
    ['a number for a patient id', JSON.stringify([7, 'abcd_-12', FRAME]), 10],
    ['an empty patient id', JSON.stringify(['', 'abcd_-12', FRAME]), 10],
    ['a patient id too long', JSON.stringify(['p'.repeat(65), 'abcd_-12', FRAME]), 10],
    ['an alias of the wrong length', JSON.stringify(['p', 'abc', FRAME]), 10],
    ['an alias with other characters', JSON.stringify(['p', 'abcd/-12', FRAME]), 10],
    ['a frame that is not base64', JSON.stringify(['p', 'abcd_-12', 'AQ!!']), 10],
    [
      'a frame too long',
      JSON.stringify(['p', 'abcd_-12', 'A'.repeat(MAX_POSE_FRAME_BASE64_LENGTH + 4)]),
      10,
    ],
  ])('refuses %s', (_what, text, maxFrames) => {
    expect(decodePoseBatch(text, maxFrames)).toBeNull();
  });
});

describe('RemoteWatchers', () => {
  const LEASE = 1_000;
  const watching = (from: string, patients: string[]) =>
    ({ kind: 'watching', from, patients }) as const;
  const processesOf = (remote: RemoteWatchers, patientId: string) => [
    ...(remote.processesWatching(patientId) ?? []),
  ];

  it('knows which processes watch a patient, from full lists and single changes', () => {
    const remote = new RemoteWatchers(LEASE);
    remote.apply(watching(A, ['p1', 'p2']), 0);
    remote.apply(watching(B, ['p2']), 0);
    expect(processesOf(remote, 'p1')).toEqual([A]);
    expect(processesOf(remote, 'p2')).toEqual([A, B]);
    remote.apply({ kind: 'watch', from: B, patientId: 'p3' }, 10);
    remote.apply({ kind: 'unwatch', from: A, patientId: 'p2' }, 10);
    expect(processesOf(remote, 'p2')).toEqual([B]);
    expect(processesOf(remote, 'p3')).toEqual([B]);
    // No process left for p1: nothing is published for it.
    remote.apply({ kind: 'unwatch', from: A, patientId: 'p1' }, 20);
    expect(remote.processesWatching('p1')).toBeUndefined();
  });

  it('replaces a process list with its next full one (a lost unwatch is mended)', () => {
    const remote = new RemoteWatchers(LEASE);
    remote.apply(watching(A, ['p1', 'p2']), 0);
    remote.apply(watching(A, ['p2']), 500);
    expect(remote.processesWatching('p1')).toBeUndefined();
    expect(processesOf(remote, 'p2')).toEqual([A]);
  });

  it('forgets a process that said goodbye, or stopped renewing its lease', () => {
    const remote = new RemoteWatchers(LEASE);
    remote.apply(watching(A, ['p1']), 0);
    remote.apply(watching(B, ['p1']), 0);
    remote.apply({ kind: 'bye', from: B }, 100);
    expect(processesOf(remote, 'p1')).toEqual([A]);

    remote.apply(watching(A, ['p1']), 600);
    remote.expire(1_599);
    expect(processesOf(remote, 'p1')).toEqual([A]);
    remote.expire(1_600);
    expect(remote.processesWatching('p1')).toBeUndefined();
  });

  it('starts a lease for a process first heard of by a single watch', () => {
    const remote = new RemoteWatchers(LEASE);
    remote.apply({ kind: 'watch', from: A, patientId: 'p1' }, 0);
    remote.apply({ kind: 'hello', from: B }, 0);
    remote.expire(999);
    expect(processesOf(remote, 'p1')).toEqual([A]);
    remote.expire(1_000);
    expect(remote.processesWatching('p1')).toBeUndefined();
  });
});
