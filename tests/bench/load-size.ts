import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WORLD_NAMES } from '../../client/patient/worlds/registry';
import { result, type BenchResult } from './report';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Chunks of the IWER emulator (and everything only they load, e.g. its synthetic rooms): a real
 * headset never loads them, so they are reported apart from the patient's total.
 */
const EMULATOR_MARKER = 'IWER';
const WASM_BASE64 = /["'`](?:data:application\/wasm;base64,)?([A-Za-z0-9+/]{100000,}={0,2})["'`]/g;

interface Chunk {
  file: string;
  code: string;
  staticImports: string[];
  dynamicImports: string[];
  assets: string[];
}

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[^"'`();]*?\bfrom\s*)?["']([^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`]([^"'`$]+)["'`]\s*\)/g;
const ASSET_URL = /["'`]([^"'`\s]+\.wasm)["'`]/g;

const matches = (re: RegExp, code: string) => Array.from(code.matchAll(re), (m) => m[1]!);

/** Resolves an import specifier of a built file to a path relative to the build's root. */
function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (specifier.startsWith('/')) return specifier.slice(1);
  if (specifier.startsWith('.'))
    return posix.normalize(posix.join(posix.dirname(fromFile), specifier));
  return null; // bare specifiers do not survive a build; nothing to load
}

class BuiltSite {
  private readonly chunks = new Map<string, Chunk>();
  constructor(private readonly dir: string) {}

  chunk(file: string): Chunk {
    let chunk = this.chunks.get(file);
    if (chunk !== undefined) return chunk;
    const code = readFileSync(join(this.dir, file), 'utf8');
    const resolveAll = (specs: string[]) =>
      specs.map((s) => resolveSpecifier(file, s)).filter((f): f is string => f !== null);
    chunk = {
      file,
      code,
      staticImports: resolveAll(matches(STATIC_IMPORT, code)).filter((f) => f.endsWith('.js')),
      dynamicImports: resolveAll(matches(DYNAMIC_IMPORT, code)).filter((f) => f.endsWith('.js')),
      assets: resolveAll(matches(ASSET_URL, code)).filter((f) => existsSync(join(this.dir, f))),
    };
    this.chunks.set(file, chunk);
    return chunk;
  }

  /** The scripts a page's HTML starts with: its module entry and its modulepreloads. */
  entryScripts(htmlFile: string): string[] {
    const html = readFileSync(join(this.dir, htmlFile), 'utf8');
    const srcs = [
      ...matches(/<script[^>]*type="module"[^>]*src="([^"]+)"/g, html),
      ...matches(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g, html),
    ];
    return srcs.map((s) => resolveSpecifier(htmlFile, s)).filter((f): f is string => f !== null);
  }

  /** Everything reachable from `roots` along static imports, and dynamic ones when asked. */
  closure(roots: string[], options: { dynamic: boolean; stopAt?: (c: Chunk) => boolean }) {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      const chunk = this.chunk(file);
      if (options.stopAt?.(chunk) && !roots.includes(file)) continue;
      seen.add(file);
      stack.push(...chunk.staticImports);
      if (options.dynamic) stack.push(...chunk.dynamicImports);
    }
    return seen;
  }

  gzipBytes(files: Iterable<string>): number {
    let total = 0;
    for (const file of files) total += gzipSync(readFileSync(join(this.dir, file))).byteLength;
    return total;
  }

  rawBytes(files: Iterable<string>): number {
    let total = 0;
    for (const file of files) total += readFileSync(join(this.dir, file)).byteLength;
    return total;
  }

  withAssets(files: Set<string>): Set<string> {
    const all = new Set(files);
    for (const file of files) for (const asset of this.chunk(file).assets) all.add(asset);
    return all;
  }

  /** Physics WebAssembly, whether inlined as base64 (rapier's compat build) or a .wasm file. */
  wasmGzipBytes(files: Iterable<string>): number {
    let total = 0;
    for (const file of files) {
      if (file.endsWith('.wasm')) {
        total += gzipSync(readFileSync(join(this.dir, file))).byteLength;
        continue;
      }
      for (const blob of matches(WASM_BASE64, this.chunk(file).code))
        total += gzipSync(Buffer.from(blob)).byteLength;
    }
    return total;
  }
}

const isEmulator = (c: Chunk) => c.code.includes(EMULATOR_MARKER);
const kb = (bytes: number) => bytes / 1024;

function pageFigures(site: BuiltSite, html: string, prefix: string): BenchResult[] {
  const entry = site.entryScripts(html);
  const initial = site.closure(entry, { dynamic: false });
  const all = site.withAssets(site.closure(entry, { dynamic: true, stopAt: isEmulator }));
  const withEmulator = site.closure(entry, { dynamic: true });
  const emulatorOnly = [...withEmulator].filter((f) => !all.has(f));
  return [
    result(`${prefix}Initial.gzipKB`, kb(site.gzipBytes(initial)), 'KB gzip'),
    result(`${prefix}Initial.rawKB`, kb(site.rawBytes(initial)), 'KB'),
    result(`${prefix}Total.gzipKB`, kb(site.gzipBytes(all)), 'KB gzip'),
    result(`${prefix}Total.rawKB`, kb(site.rawBytes(all)), 'KB'),
    result(`${prefix}PhysicsWasm.gzipKB`, kb(site.wasmGzipBytes(all)), 'KB gzip'),
    result(`${prefix}EmulatorOnly.gzipKB`, kb(site.gzipBytes(emulatorOnly)), 'KB gzip'),
  ];
}

/** Vite's build manifest: source module (relative to client/) to its output chunk. */
type Manifest = Record<string, { file: string; isDynamicEntry?: boolean }>;

/**
 * What each world adds once the game asks for it (after "Enter VR"): its chunks, static imports
 * followed, less everything the patient's page and game load anyway (three, the text, the plain
 * room), plus the world's own sounds (assets/sounds/worlds/<world>/, fetched by name at run time).
 * A world whose chunk the game imports statically (the plain room, the fallback that must never
 * need a download) adds nothing and says so.
 */
function worldFigures(site: BuiltSite, outDir: string, manifest: Manifest): BenchResult[] {
  const worldChunks = new Set(
    WORLD_NAMES.map((w) => manifest[`patient/worlds/${w}/index.tsx`]?.file).filter(
      (f): f is string => f !== undefined,
    ),
  );
  const entry = site.entryScripts('index.html');
  const withoutWorlds = site.closure(entry, {
    dynamic: true,
    stopAt: (c) => isEmulator(c) || worldChunks.has(c.file),
  });
  return WORLD_NAMES.flatMap((world) => {
    const name = `load.world.${world}`;
    const chunk = manifest[`patient/worlds/${world}/index.tsx`];
    if (chunk === undefined) {
      // no chunk of its own: bundled into the game's (today: the plain room)
      return [result(`${name}.gzipKB`, 0, 'KB gzip (in the game chunk, not lazy)')];
    }
    if (withoutWorlds.has(chunk.file))
      return [result(`${name}.gzipKB`, 0, 'KB gzip (imported statically by the game, not lazy)')];
    const files = [...site.closure([chunk.file], { dynamic: false })].filter(
      (f) => !withoutWorlds.has(f),
    );
    const soundDir = join(outDir, 'sounds/worlds', world);
    const sounds = existsSync(soundDir)
      ? readdirSync(soundDir).map((f) => posix.join('sounds/worlds', world, f))
      : [];
    return [
      result(`${name}.gzipKB`, kb(site.gzipBytes([...files, ...sounds])), 'KB gzip (JS + sounds)'),
      result(`${name}.rawKB`, kb(site.rawBytes([...files, ...sounds])), 'KB (JS + sounds)'),
    ];
  });
}

/**
 * Builds the pages into a temporary directory (the project's dist/ is left alone for whoever is
 * using it) and sums the gzipped JavaScript each page needs.
 */
export async function benchLoadSize(): Promise<BenchResult[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'reach-bench-build-'));
  try {
    const args = ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--manifest'];
    const build = spawnSync('npx', args, {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
    const site = new BuiltSite(outDir);
    const patient = pageFigures(site, 'index.html', 'load.patient');
    const therapist = pageFigures(site, 'therapist/index.html', 'load.therapist');
    const manifest = JSON.parse(
      readFileSync(join(outDir, '.vite/manifest.json'), 'utf8'),
    ) as Manifest;
    const figure = (rows: BenchResult[], name: string) => rows.find((r) => r.name === name)!;
    return [
      {
        ...figure(patient, 'load.patientInitial.gzipKB'),
        name: 'load.patientBeforeEnterVR.gzipKB',
      },
      { ...figure(patient, 'load.patientInitial.rawKB'), name: 'load.patientBeforeEnterVR.rawKB' },
      figure(patient, 'load.patientTotal.gzipKB'),
      figure(patient, 'load.patientTotal.rawKB'),
      figure(patient, 'load.patientPhysicsWasm.gzipKB'),
      figure(patient, 'load.patientEmulatorOnly.gzipKB'),
      { ...figure(therapist, 'load.therapistTotal.gzipKB'), name: 'load.therapist.gzipKB' },
      { ...figure(therapist, 'load.therapistTotal.rawKB'), name: 'load.therapist.rawKB' },
      figure(therapist, 'load.therapistInitial.gzipKB'),
      ...worldFigures(site, outDir, manifest),
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
