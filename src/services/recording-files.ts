// Where a call's recording is on this machine: RECORDINGS_DIR is the PBX's spool directory mounted
// here (read-only), so the PBX's own path is mapped onto it by a fixed rule, and nothing outside
// it is ever opened (symlinks followed, then checked).
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RecordingKind } from '../calls/model';

/** The file exists, under RECORDINGS_DIR. */
export interface FoundRecording {
  /** The real path (symlinks resolved), inside RECORDINGS_DIR. */
  path: string;
  size: number;
  contentType: string;
}

/** The PBX named a file that would lead outside RECORDINGS_DIR (`..`, NUL, a symlink out): refused, not looked for. */
export class RecordingRefused extends Error {
  override name = 'RecordingRefused';
}

/** VoiceMail names its message without extension; it keeps it in one of these formats. */
const VOICEMAIL_EXTENSIONS = ['.wav', '.WAV', '.gsm'];

const CONTENT_TYPES: Record<string, string> = {
  '.wav': 'audio/wav', // `.WAV` is GSM in a WAV container (wav49): still a WAV to browsers
  '.gsm': 'audio/x-gsm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.sln': 'audio/l16',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The places under RECORDINGS_DIR tried for a PBX path, in order (relative paths):
 * 1. the tail after `spool/asterisk/`, else after the last `spool/` (`monitor/…`, `voicemail/…`);
 *    a relative PBX path as it is (MixMonitor's own names are relative to `monitor/`);
 * 2. `monitor/<name>` (recordings only);
 * 3. `<name>`, the bare file name (recordings only: voicemail names repeat across mailboxes).
 * A voicemail's path, which has no extension, is tried with `.wav`, `.WAV`, `.gsm` in turn.
 */
export function candidatePaths(pbxPath: string, kind: RecordingKind): string[] {
  if (pbxPath.includes('\0') || pbxPath.includes('\\')) throw new RecordingRefused('the file name has a NUL or a backslash');
  const parts = pbxPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) return [];
  if (parts.includes('..')) throw new RecordingRefused('the file name climbs up with ..');
  const name = parts[parts.length - 1];
  let tail: string[] | null = null;
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === 'spool' && parts[i + 1] === 'asterisk' && i + 2 < parts.length) {
      tail = parts.slice(i + 2);
      break;
    }
    if (parts[i] === 'spool') tail = parts.slice(i + 1); // the last `spool/` wins, unless `spool/asterisk/` comes
  }
  if (tail === null && !pbxPath.startsWith('/')) tail = parts;
  const bases: string[] = [];
  if (tail !== null) bases.push(tail.join('/'));
  if (kind === 'recording') bases.push(`monitor/${name}`, name);
  const unique = [...new Set(bases)];
  if (kind === 'recording' && path.extname(name) !== '') return unique;
  return unique.flatMap((b) => VOICEMAIL_EXTENSIONS.map((ext) => b + ext));
}

export class RecordingFiles {
  /** `dir`: RECORDINGS_DIR, or null when unset (nothing is playable). */
  constructor(private readonly dir: string | null) {}

  get configured(): boolean {
    return this.dir !== null;
  }

  /**
   * The recording's file under RECORDINGS_DIR, or null when it is not there (or RECORDINGS_DIR is
   * unset or missing). Throws RecordingRefused for a name or a symlink leading outside it.
   */
  async find(pbxPath: string, kind: RecordingKind): Promise<FoundRecording | null> {
    if (this.dir === null) return null;
    const candidates = candidatePaths(pbxPath, kind);
    const root = await realpath(this.dir).catch(() => null);
    if (root === null) return null;
    for (const rel of candidates) {
      const real: string | null = await realpath(path.join(root, rel)).catch(() => null);
      if (real === null) continue;
      if (real !== root && !real.startsWith(root + path.sep)) throw new RecordingRefused('the file leads outside RECORDINGS_DIR');
      const st = await stat(real).catch(() => null);
      if (st?.isFile()) return { path: real, size: st.size, contentType: contentTypeOf(real) };
    }
    return null;
  }

  /** Whether it can be played: found, and not refused. */
  async available(pbxPath: string, kind: RecordingKind): Promise<boolean> {
    return this.find(pbxPath, kind).then((f) => f !== null, () => false);
  }
}
