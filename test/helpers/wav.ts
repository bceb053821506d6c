// A small valid WAV file (16-bit PCM mono, a 440 Hz tone), as a PBX's MixMonitor or VoiceMail writes one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function wav(seconds = 1, rate = 8000): Buffer {
  const samples = Math.round(seconds * rate);
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return out;
}

/** Writes a WAV at `file`, making its directories. */
export function writeWav(file: string, seconds = 1): Buffer {
  mkdirSync(dirname(file), { recursive: true });
  const data = wav(seconds);
  writeFileSync(file, data);
  return data;
}
