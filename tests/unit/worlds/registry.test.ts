import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, parseSessionPlan, sessionPlanSchema } from '../../../shared/clinical/plan';
import { readWorldParams, resolveWorld } from '../../../client/patient/worlds/registry';

describe('the plan names the world', () => {
  it('gives plans stored before worlds existed the orchard, and keeps a chosen one', () => {
    const { world: _world, ...older } = DEFAULT_PLAN;
    expect(parseSessionPlan(older).world).toBe('orchard');
    expect(parseSessionPlan({ ...DEFAULT_PLAN, world: 'reef' }).world).toBe('reef');
  });

  it('refuses a world it does not know', () => {
    expect(sessionPlanSchema.safeParse({ ...DEFAULT_PLAN, world: 'moon' }).success).toBe(false);
  });
});

describe('resolveWorld', () => {
  it("plays the plan's world, the page's when valid, and asks the patient for their choice", () => {
    expect(resolveWorld('lantern', null, false)).toBe('lantern');
    expect(resolveWorld('lantern', 'reef', false)).toBe('reef');
    expect(resolveWorld('lantern', 'moon', false)).toBe('lantern');
    expect(resolveWorld('choice', null, false)).toBe('choice');
    expect(resolveWorld('orchard', 'choice', false)).toBe('choice');
    expect(resolveWorld(null, null, false)).toBe('orchard');
    expect(resolveWorld('plain', null, false)).toBe('plain');
  });

  it('takes a forced world fault only under automation', () => {
    expect(readWorldParams('?world=reef&worldFault=throw', true)).toEqual({
      world: 'reef',
      fault: 'throw',
    });
    expect(readWorldParams('?worldFault=throw', false).fault).toBeNull();
    expect(readWorldParams('?worldFault=boom', true).fault).toBeNull();
  });

  it("draws the plain room under automation unless a test names a world or the plan asks for the patient's choice", () => {
    expect(readWorldParams('?automation=1', true).world).toBeNull();
    expect(resolveWorld('reef', null, true)).toBe('plain');
    expect(resolveWorld(null, null, true)).toBe('plain');
    expect(resolveWorld('reef', 'lantern', true)).toBe('lantern');
    expect(resolveWorld('choice', null, true)).toBe('choice');
  });
});
