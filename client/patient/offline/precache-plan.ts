/**
 * Which files of the build the patient's service worker precaches, derived from the build itself
 * so that a new chunk, sound or game world is covered without editing a list. Plain data in, plain
 * data out: the Vite config feeds it the bundle and the asset folder (see vite.config.ts).
 */

/** What the build says about one emitted JavaScript chunk (Rollup's OutputChunk, trimmed). */
export interface BuiltChunk {
  fileName: string;
  imports: readonly string[];
  dynamicImports: readonly string[];
  /** CSS and other files (images, WebAssembly) the chunk's modules import. */
  files: readonly string[];
}

/**
 * Every file the page starting at `entry` can load: its chunk, what it imports statically or
 * dynamically (the game is loaded only after the entry screen, and must still be there offline),
 * transitively, and the CSS and asset files those chunks import. The therapist's page shares some
 * chunks with the patient's but its own chunks are not reachable from here, so they stay out.
 */
export function filesReachableFrom(entry: string, chunks: ReadonlyMap<string, BuiltChunk>) {
  const reached = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const fileName = pending.pop()!;
    if (reached.has(fileName)) continue;
    reached.add(fileName);
    const chunk = chunks.get(fileName);
    if (chunk === undefined) continue;
    pending.push(...chunk.imports, ...chunk.dynamicImports);
    for (const file of chunk.files) reached.add(file);
  }
  return reached;
}

/**
 * Files in the static asset folder (`assets/`, served at the site root) that the running app
 * fetches, as opposed to the folder's own documentation, licence texts and generator scripts.
 */
export function isRuntimeAsset(path: string): boolean {
  return !/\.(md|txt|mjs|cjs|js|ts)$/i.test(path) && !/(^|\/)\./.test(path);
}

export interface PrecacheInputs {
  /** The patient page's HTML file, relative to the output folder (`index.html`). */
  page: string;
  /** Output of `filesReachableFrom` for the patient's entry chunk. */
  patientFiles: ReadonlySet<string>;
  /** Every file of the static asset folder, relative to it (= its URL path without the slash). */
  staticAssets: ReadonlySet<string>;
}

/**
 * An allow-list: the patient's page, its code and styles, and the runtime static assets. Anything
 * else in the output folder (the therapist's page and its own chunks, source maps, docs) is not
 * precached, so the worker never holds the dashboard or its health records.
 */
export function belongsInPrecache(path: string, inputs: PrecacheInputs): boolean {
  if (path === inputs.page) return true;
  if (inputs.patientFiles.has(path)) return true;
  return inputs.staticAssets.has(path) && isRuntimeAsset(path);
}

/**
 * The WebXR controller and hand layouts a Meta Quest needs (the profile ids each headset reports
 * first, and the hand model): precached from the server's `/xr-profiles/` so that controllers and
 * hands appear offline. Other headsets' layouts are cached the first time they are fetched online.
 */
export const QUEST_INPUT_PROFILES = [
  'meta-quest-touch-plus', // Quest 3 and 3S
  'meta-quest-touch-pro', // Quest Pro
  'oculus-touch-v3', // Quest 2
  'generic-hand', // tracked hands on every Quest
] as const;
