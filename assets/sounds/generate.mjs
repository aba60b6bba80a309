// Writes the game's short sound effects as 16-bit mono WAV files: `node assets/sounds/generate.mjs`.
// Pure synthesis (sine partials with soft envelopes), so the sounds carry no third-party licence.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = 22050;
const here = dirname(fileURLToPath(import.meta.url));

function wav(samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Notes: [frequency Hz, start s, duration s]; soft attack, exponential decay. */
function tone(notes, total, gain = 0.4) {
  const out = new Float32Array(Math.round(total * RATE));
  for (const [f, start, dur] of notes) {
    const s0 = Math.round(start * RATE);
    const n = Math.round(dur * RATE);
    for (let i = 0; i < n && s0 + i < out.length; i++) {
      const t = i / RATE;
      const env = Math.min(1, t / 0.01) * Math.exp((-4 * t) / dur);
      out[s0 + i] += gain * env * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t));
    }
  }
  return Array.from(out);
}

const sounds = {
  contact: tone([[880, 0, 0.12]], 0.15),
  success: tone([[523.25, 0, 0.25], [659.25, 0.08, 0.25], [783.99, 0.16, 0.4]], 0.6),
  miss: tone([[392, 0, 0.3], [329.63, 0.12, 0.35]], 0.5, 0.25),
  cue: tone([[440, 0, 0.2], [440, 0.25, 0.2]], 0.5, 0.25),
  confirm: tone([[659.25, 0, 0.15], [987.77, 0.07, 0.2]], 0.3),
};

for (const [name, samples] of Object.entries(sounds)) writeFileSync(join(here, `${name}.wav`), wav(samples));

/** A soft bell: partials at inharmonic ratios, slow decay (lanterns, bubbles, wood). */
function bell(notes, total, ratios, gain = 0.3) {
  const out = new Float32Array(Math.round(total * RATE));
  for (const [f, start, dur] of notes) {
    const s0 = Math.round(start * RATE);
    const n = Math.round(dur * RATE);
    for (let i = 0; i < n && s0 + i < out.length; i++) {
      const t = i / RATE;
      const env = Math.min(1, t / 0.005) * Math.exp((-5 * t) / dur);
      let v = 0;
      ratios.forEach(([r, a]) => (v += a * Math.sin(2 * Math.PI * f * r * t)));
      out[s0 + i] += gain * env * v;
    }
  }
  return Array.from(out);
}

/** A rising glide (a bubble popping up, a lantern lifting). */
function glide(from, to, dur, total, gain = 0.3) {
  const out = new Float32Array(Math.round(total * RATE));
  let phase = 0;
  for (let i = 0; i < Math.round(dur * RATE); i++) {
    const t = i / RATE;
    const f = from * Math.pow(to / from, t / dur);
    phase += (2 * Math.PI * f) / RATE;
    out[i] = gain * Math.sin((Math.PI * t) / dur) * Math.sin(phase);
  }
  return Array.from(out);
}

const mix = (a, b) => a.map((v, i) => v + (b[i] ?? 0));

// Each world's own sounds (same moments as the plain game's: a target appears, a success, a miss).
const WOOD = [[1, 1], [2.76, 0.35], [5.4, 0.12]];
const GLASS = [[1, 1], [2.01, 0.4], [3.99, 0.15]];
const worldSounds = {
  orchard: {
    appear: bell([[784, 0, 0.25]], 0.3, WOOD, 0.25),
    success: bell([[523.25, 0, 0.35], [659.25, 0.1, 0.35], [783.99, 0.2, 0.35], [1046.5, 0.3, 0.5]], 0.9, WOOD),
    miss: bell([[392, 0, 0.35], [349.23, 0.15, 0.45]], 0.7, WOOD, 0.18),
  },
  lantern: {
    appear: bell([[1174.66, 0, 0.6]], 0.7, GLASS, 0.2),
    success: bell([[587.33, 0, 0.7], [880, 0.12, 0.7], [1174.66, 0.24, 0.9]], 1.2, GLASS, 0.22),
    miss: bell([[440, 0, 0.6], [392, 0.2, 0.7]], 1, GLASS, 0.14),
  },
  reef: {
    appear: glide(300, 700, 0.18, 0.25, 0.22),
    success: mix(glide(350, 1100, 0.35, 0.45, 0.25), tone([[783.99, 0.2, 0.25]], 0.45, 0.2)),
    miss: glide(500, 300, 0.4, 0.5, 0.15),
  },
};

for (const [world, set] of Object.entries(worldSounds)) {
  mkdirSync(join(here, 'worlds', world), { recursive: true });
  for (const [name, samples] of Object.entries(set))
    writeFileSync(join(here, 'worlds', world, `${name}.wav`), wav(samples));
}
