// Writes the game's short sound effects as 16-bit mono WAV files: `node assets/sounds/generate.mjs`.
// Pure synthesis (sine partials with soft envelopes), so the sounds carry no third-party licence.
import { writeFileSync } from 'node:fs';
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
