import { describe, expect, it } from 'vitest';
import { createPatientServices } from '../../../client/patient/services';
import { setPreset } from '../../../client/patient/entry/presets';

/** A Storage kept in memory, one per test page. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
  };
}

describe("the patient page's composition root", () => {
  it('makes fresh, independent services per page: store, anchor, presets, connection', () => {
    const a = createPatientServices(memoryStorage());
    const b = createPatientServices(memoryStorage({ 'reach.displayPresets': '{"large":true}' }));
    expect(a.store).not.toBe(b.store);
    a.store.setState({ status: 'running', outboxLength: 3 });
    expect(b.store.getState()).toMatchObject({ status: 'idle', outboxLength: 0 });
    a.anchor.x = 2;
    expect(b.anchor).toMatchObject({ x: 0, due: true });
    expect([a.presets.getState().large, b.presets.getState().large]).toEqual([false, true]);
    expect(a.connection.store.getState()).toEqual({
      socket: null,
      status: 'offline',
      refusal: null,
    });
  });

  it('keeps display presets in its own storage', () => {
    const storage = memoryStorage();
    const services = createPatientServices(storage);
    setPreset(services.presets, storage, 'highContrast', true);
    expect(services.presets.getState().highContrast).toBe(true);
    expect(JSON.parse(storage.getItem('reach.displayPresets')!)).toEqual({
      large: false,
      highContrast: true,
    });
    expect(createPatientServices(storage).presets.getState().highContrast).toBe(true);
  });
});
