import { MAX_SAMPLES_PER_TRIAL, type Vec3 } from '../protocol';

type Vec3Like = ArrayLike<number>;

export interface RecordedWindow {
  t: number[];
  hand: Vec3[];
  otherHand: Vec3[];
  head: Vec3[];
}

/**
 * Fixed-size ring of movement samples (time, effector, other hand, head) written once per XR
 * frame. Everything is preallocated; only extracting a trial's window allocates, once per trial.
 */
export class MovementRecorder {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly values: Float32Array;
  private next = 0;
  private count = 0;

  constructor(capacity = MAX_SAMPLES_PER_TRIAL * 2) {
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.values = new Float32Array(capacity * 9);
  }

  get size(): number {
    return this.count;
  }

  push(t: number, hand: Vec3Like, otherHand: Vec3Like, head: Vec3Like): void {
    const i = this.next;
    this.times[i] = t;
    const o = i * 9;
    for (let k = 0; k < 3; k++) {
      this.values[o + k] = hand[k]!;
      this.values[o + 3 + k] = otherHand[k]!;
      this.values[o + 6 + k] = head[k]!;
    }
    this.next = (i + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }

  /** Samples with from <= t <= to, oldest first, at most `limit` (the latest are kept). */
  window(from: number, to: number, limit = MAX_SAMPLES_PER_TRIAL): RecordedWindow {
    const out: RecordedWindow = { t: [], hand: [], otherHand: [], head: [] };
    const oldest = (this.next - this.count + this.capacity) % this.capacity;
    for (let n = 0; n < this.count; n++) {
      const i = (oldest + n) % this.capacity;
      const t = this.times[i]!;
      if (t < from || t > to) continue;
      const o = i * 9;
      const v = this.values;
      out.t.push(t);
      out.hand.push([v[o]!, v[o + 1]!, v[o + 2]!]);
      out.otherHand.push([v[o + 3]!, v[o + 4]!, v[o + 5]!]);
      out.head.push([v[o + 6]!, v[o + 7]!, v[o + 8]!]);
    }
    const excess = out.t.length - limit;
    if (excess > 0) {
      out.t.splice(0, excess);
      out.hand.splice(0, excess);
      out.otherHand.splice(0, excess);
      out.head.splice(0, excess);
    }
    return out;
  }
}
