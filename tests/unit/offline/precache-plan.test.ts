import { describe, expect, it } from 'vitest';
import {
  belongsInPrecache,
  filesReachableFrom,
  isRuntimeAsset,
  type BuiltChunk,
} from '../../../client/patient/offline/precache-plan';

const chunk = (
  fileName: string,
  imports: string[],
  dynamicImports: string[] = [],
  files: string[] = [],
): [string, BuiltChunk] => [fileName, { fileName, imports, dynamicImports, files }];

// Two pages sharing a chunk, as the real build has them.
const chunks = new Map([
  chunk('assets/patient.js', ['assets/shared.js'], ['assets/boot.js'], ['assets/patient.css']),
  chunk('assets/boot.js', ['assets/three.js'], ['assets/GameApp.js', 'assets/emulate.js']),
  chunk('assets/GameApp.js', ['assets/three.js', 'assets/shared.js'], [], ['assets/world.glb']),
  chunk('assets/three.js', []),
  chunk('assets/emulate.js', ['assets/shared.js']),
  chunk('assets/shared.js', []),
  chunk(
    'assets/therapist.js',
    ['assets/shared.js', 'assets/uplot.js'],
    [],
    ['assets/therapist.css'],
  ),
  chunk('assets/uplot.js', []),
]);

describe('the patient precache list', () => {
  it('takes every chunk the patient entry reaches, lazily loaded ones included, with their files', () => {
    expect([...filesReachableFrom('assets/patient.js', chunks)].sort()).toEqual([
      'assets/GameApp.js',
      'assets/boot.js',
      'assets/emulate.js',
      'assets/patient.css',
      'assets/patient.js',
      'assets/shared.js',
      'assets/three.js',
      'assets/world.glb',
    ]);
  });

  it('ends on an import cycle', () => {
    const cycle = new Map([chunk('a.js', ['b.js']), chunk('b.js', ['a.js'])]);
    expect([...filesReachableFrom('a.js', cycle)].sort()).toEqual(['a.js', 'b.js']);
  });

  it("keeps the patient's page, its files and the runtime assets, and nothing of the dashboard", () => {
    const inputs = {
      page: 'index.html',
      patientFiles: filesReachableFrom('assets/patient.js', chunks),
      staticAssets: new Set([
        'fonts/DejaVuSans-Bold.ttf',
        'fonts/DejaVuSans-LICENSE.txt',
        'sounds/contact.wav',
        'sounds/generate.mjs',
        'icons/icon-192.png',
        'worlds/park.glb',
        'README.md',
      ]),
    };
    const output = [
      'index.html',
      'therapist/index.html',
      'assets/patient.js',
      'assets/shared.js',
      'assets/GameApp.js',
      'assets/therapist.js',
      'assets/therapist.css',
      'assets/uplot.js',
      'assets/patient.js.map',
      'fonts/DejaVuSans-Bold.ttf',
      'fonts/DejaVuSans-LICENSE.txt',
      'sounds/contact.wav',
      'sounds/generate.mjs',
      'icons/icon-192.png',
      'worlds/park.glb',
      'README.md',
    ];
    expect(output.filter((path) => belongsInPrecache(path, inputs))).toEqual([
      'index.html',
      'assets/patient.js',
      'assets/shared.js',
      'assets/GameApp.js',
      'fonts/DejaVuSans-Bold.ttf',
      'sounds/contact.wav',
      'icons/icon-192.png',
      'worlds/park.glb',
    ]);
  });

  it('tells runtime assets from docs, licences, scripts and hidden files', () => {
    expect(
      ['a.wav', 'b.ttf', 'c.glb', 'd.ktx2', 'e.md', 'f.txt', 'g.mjs', '.keep', 'x/.DS_Store'].map(
        isRuntimeAsset,
      ),
    ).toEqual([true, true, true, true, false, false, false, false, false]);
  });
});
