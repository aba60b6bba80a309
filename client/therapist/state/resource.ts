import { createStore } from 'zustand/vanilla';

/** One request's lifecycle, so every page can show loading and error states the same way. */
export type ResourceState<T> =
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | null; error: string };

export interface Resource<T> {
  state: ResourceState<T>;
  reload(): Promise<void>;
}

/** A store holding the answer of `load`, loading once at creation and again on reload(). */
export function createResource<T>(load: () => Promise<T>) {
  let generation = 0;
  const store = createStore<Resource<T>>()((set, get) => ({
    state: { status: 'loading', data: null, error: null },
    async reload() {
      const mine = ++generation;
      set({ state: { status: 'loading', data: get().state.data, error: null } });
      try {
        const data = await load();
        if (mine === generation) set({ state: { status: 'ready', data, error: null } });
      } catch (error) {
        if (mine !== generation) return;
        const message = error instanceof Error ? error.message : String(error);
        set({ state: { status: 'error', data: get().state.data, error: message } });
      }
    },
  }));
  void store.getState().reload();
  return store;
}

export type ResourceStore<T> = ReturnType<typeof createResource<T>>;
