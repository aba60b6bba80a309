import { perContext } from '../context';

const HOUR_MS = 3_600_000;
/** Devices tracked before full (idle) budgets are dropped; a full budget is a fresh one. */
const PRUNE_ABOVE = 10_000;

/** Trials and samples a device may still store: both refill linearly, to a full hour's worth. */
class HourlyBudget {
  trials: number;
  samples: number;
  private last: number;

  constructor(
    private readonly limits: { trials: number; samples: number },
    now: number,
  ) {
    this.trials = limits.trials;
    this.samples = limits.samples;
    this.last = now;
  }

  refill(now: number): void {
    const share = Math.max(0, now - this.last) / HOUR_MS;
    this.trials = Math.min(this.limits.trials, this.trials + share * this.limits.trials);
    this.samples = Math.min(this.limits.samples, this.samples + share * this.limits.samples);
    this.last = now;
  }

  get full(): boolean {
    return this.trials >= this.limits.trials && this.samples >= this.limits.samples;
  }
}

/**
 * Per-device hourly storage budgets (trials and their samples), kept per process and across a
 * device's reconnections: one headset token cannot fill the disk. Checked before a trial is
 * stored, spent once it is (a duplicate costs nothing).
 */
export class DeviceQuotas {
  private readonly budgets = new Map<string, HourlyBudget>();

  constructor(
    private readonly limits: { trials: number; samples: number },
    private readonly now: () => number = Date.now,
  ) {}

  private budget(deviceId: string): HourlyBudget {
    const now = this.now();
    let budget = this.budgets.get(deviceId);
    if (budget === undefined) {
      if (this.budgets.size >= PRUNE_ABOVE) this.prune(now);
      budget = new HourlyBudget(this.limits, now);
      this.budgets.set(deviceId, budget);
    }
    budget.refill(now);
    return budget;
  }

  hasRoom(deviceId: string, samples: number): boolean {
    const budget = this.budget(deviceId);
    return budget.trials >= 1 && budget.samples >= samples;
  }

  spend(deviceId: string, samples: number): void {
    const budget = this.budget(deviceId);
    budget.trials -= 1;
    budget.samples -= samples;
  }

  private prune(now: number): void {
    for (const [id, budget] of this.budgets) {
      budget.refill(now);
      if (budget.full) this.budgets.delete(id);
    }
  }
}

/** The quotas of one running server (its context), made on first use. */
export const deviceQuotas = perContext(
  (ctx) =>
    new DeviceQuotas({
      trials: ctx.config.deviceTrialsPerHour,
      samples: ctx.config.deviceSamplesPerHour,
    }),
);
