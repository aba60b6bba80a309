import { vi } from 'vitest';

/** A Web Storage kept in a Map, for unit tests of browser code that reads localStorage. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
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

/** Replaces the global localStorage with an empty memoryStorage (undone by vi.unstubAllGlobals). */
export const stubLocalStorage = (): void => void vi.stubGlobal('localStorage', memoryStorage());
