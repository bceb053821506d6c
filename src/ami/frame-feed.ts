// What arrives on the AMI socket, read into messages: arrival stamped, a runaway frame bounded,
// whole frames only, and the frames of events nobody uses dropped unparsed.
import { parseFrame } from './frame-parser';
import type { RawAmiMessage } from './raw';

const VARIABLE = '\nVariable: ';

/** Where the blank line ending the frame starting at `pos` starts, or -1 if it has not arrived yet. */
function blankLine(text: string, pos: number): number {
  for (let line = pos; ; ) {
    const c = text.charCodeAt(line);
    if (c === 10 || (c === 13 && text.charCodeAt(line + 1) === 10)) return line;
    const lf = text.indexOf('\n', line);
    if (lf < 0) return -1;
    line = lf + 1;
  }
}

/** Just after the blank line starting at `blank`. */
function afterBlank(text: string, blank: number): number {
  return text.charCodeAt(blank) === 10 ? blank + 1 : blank + 2;
}

/**
 * Just after the last blank line (the end of the last whole frame), or 0 if there is none. Walks
 * back line by line from the end: only the unfinished frame's lines are read (a search for "\n\n"
 * would read a whole CRLF chunk, where it never occurs).
 */
function lastFrameEnd(text: string): number {
  for (let lf = text.lastIndexOf('\n'); lf > 0; lf = text.lastIndexOf('\n', lf - 1)) {
    const before = text.charCodeAt(lf - 1);
    if (before === 10 || (before === 13 && lf >= 2 && text.charCodeAt(lf - 2) === 10)) return lf + 1;
  }
  return 0;
}

/**
 * Where, in `chunk`, the frame begun in `partial` (which holds no blank line) ends: just after the
 * first blank line of partial + chunk, or -1 if it has not arrived yet. Found without joining the
 * two: a blank line can begin in partial's last two characters ("\n" | "\n", "\n" | "\r\n",
 * "\n\r" | "\n"), else it lies in the chunk after its first line break.
 */
function firstFrameEnd(partial: string, chunk: string): number {
  const k = Math.min(partial.length, 2);
  const seam = partial.slice(partial.length - k) + chunk.slice(0, 2);
  for (let p = 0; p < k; p++) {
    if (seam.charCodeAt(p) !== 10) continue;
    if (seam.charCodeAt(p + 1) === 10 && p + 2 > k) return p + 2 - k;
    if (seam.charCodeAt(p + 1) === 13 && seam.charCodeAt(p + 2) === 10 && p + 3 > k) return p + 3 - k;
  }
  const lf = chunk.indexOf('\n');
  if (lf < 0) return -1;
  const blank = blankLine(chunk, lf + 1);
  return blank < 0 ? -1 : afterBlank(chunk, blank);
}

interface Taken {
  messages: RawAmiMessage[];
  skipped: number;
}

/** Whether one of the frame's lines between `from` and `blank` is an `ActionID` header (any case). */
function hasActionId(text: string, from: number, blank: number): boolean {
  for (let at = text.indexOf('\n', from) + 1; at > 0 && at < blank; at = text.indexOf('\n', at) + 1) {
    const c = text.charCodeAt(at);
    if ((c === 65 || c === 97) && text.slice(at, at + 9).toLowerCase() === 'actionid:') return true;
  }
  return false;
}

export interface FrameFeedOptions {
  maxFrameBytes: number;
  /** The events the consumer uses; frames of others are dropped. Without it, all are kept. */
  events?: ReadonlySet<string>;
  /**
   * With `events`: the VarSet frames kept are only those whose `Variable` is one of these (read
   * off the bytes, as the event's name is). Without it, every VarSet frame is kept if VarSet is used.
   */
  variables?: ReadonlySet<string>;
  onSkipped?(count: number, at: Date): void;
  /** A frame grew past maxFrameBytes without ending. */
  onRunaway(bytes: number): void;
}

const NONE: RawAmiMessage[] = [];

/**
 * The frame's text as a string of its own. A message's values are cut out of the text they are
 * read from, and V8 keeps that whole text alive while one cut lives: cut from the chunk, a live
 * call's channel name or uniqueid would hold 64 KiB of socket data; cut from the frame, a kilobyte.
 */
const ownCopy = (s: string): string => (' ' + s).slice(1);

export class FrameFeed {
  /** When the last chunk arrived. */
  arrival = new Date();
  /** The end of what arrived that is not a whole frame yet (what arrived since the last blank line). */
  private partial = '';

  constructor(private readonly o: FrameFeedOptions) {}

  /**
   * The messages of the frames this chunk completes, in arrival order; the rest waits for its
   * blank line, and is reported as a runaway once it is longer than maxFrameBytes. Frames of
   * events nobody uses (`Event: <name>` first, no ActionID) are dropped before they are read:
   * under a busy PBX they are four frames in five.
   *
   * The unfinished frame is never joined to the whole chunk: V8 would flatten that rope — copy
   * the chunk — at the first search. Only the frame that straddles two reads is joined; the
   * chunk's other frames are read where they are.
   */
  take(chunk: string): RawAmiMessage[] {
    this.arrival = new Date();
    const out: Taken = { messages: [], skipped: 0 };
    let from = 0;
    if (this.partial !== '') {
      const end = firstFrameEnd(this.partial, chunk);
      if (end < 0) {
        this.partial += chunk;
        if (this.partial.length > this.o.maxFrameBytes) this.o.onRunaway(this.partial.length);
        return NONE;
      }
      const straddling = this.partial + chunk.slice(0, end);
      this.partial = '';
      this.read(straddling, 0, straddling.length, out);
      from = end;
    }
    const end = lastFrameEnd(chunk);
    if (end > from) {
      this.read(chunk, from, end, out);
      from = end;
    }
    this.partial = from === chunk.length ? '' : chunk.slice(from);
    if (this.partial.length > this.o.maxFrameBytes) this.o.onRunaway(this.partial.length);
    if (out.skipped > 0) this.o.onSkipped?.(out.skipped, this.arrival);
    return out.messages.length > 0 ? out.messages : NONE;
  }

  /** Reads the whole frames of `text` from `pos` to `end` (just after a blank line) into `out`. */
  private read(text: string, pos: number, end: number, out: Taken): void {
    const events = this.o.events;
    while (pos < end) {
      const blank = blankLine(text, pos);
      if (events && text.startsWith('Event: ', pos)) {
        let nameEnd = text.indexOf('\n', pos);
        if (text.charCodeAt(nameEnd - 1) === 13) nameEnd--;
        const name = text.slice(pos + 7, nameEnd);
        const unused = !events.has(name) || (name === 'VarSet' && !this.variableUsed(text, nameEnd, blank));
        if (unused && !hasActionId(text, nameEnd, blank)) {
          out.skipped++;
          pos = afterBlank(text, blank);
          continue;
        }
      }
      const frame = ownCopy(text.slice(pos, blank));
      out.messages.push(parseFrame(frame, 0, frame.length));
      pos = afterBlank(text, blank);
    }
  }

  /** Does the VarSet frame between `from` and `blank` set a variable of `variables` (all, without the option)? */
  private variableUsed(text: string, from: number, blank: number): boolean {
    const variables = this.o.variables;
    if (variables === undefined) return true;
    const at = text.indexOf(VARIABLE, from);
    if (at < 0 || at >= blank) return false;
    let lineEnd = text.indexOf('\n', at + VARIABLE.length);
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    return variables.has(text.slice(at + VARIABLE.length, lineEnd));
  }
}
