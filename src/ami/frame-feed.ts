// What arrives on the AMI socket, before asterisk-manager's line reader sees it: arrival stamped,
// a runaway frame bounded, whole lines (with an event filter: whole frames) only, the frames of
// events nobody uses dropped unparsed, and a stray `Response: Follows` defused.

const UNASKED_FOLLOWS = /(^|\n)(response:[^\n]*follow)/i;
const UNASKED_FOLLOWS_ALL = /(^|\n)(response:[^\n]*follow)/gi;

const ACTION_ID = /\nactionid:/i;
const VARIABLE = '\nVariable: ';

/** Where the frame starting at `pos` ends (after its first empty line), or -1 if it has not ended yet. */
function frameEnd(text: string, pos: number): number {
  for (let line = pos; ; ) {
    const c = text.charCodeAt(line);
    if (c === 10) return line + 1;
    if (c === 13 && text.charCodeAt(line + 1) === 10) return line + 2;
    const lf = text.indexOf('\n', line);
    if (lf < 0) return -1;
    line = lf + 1;
  }
}

/** Just after the last blank line (the end of the last whole frame), or 0 if there is none. */
function lastFrameEnd(text: string): number {
  const lf = text.lastIndexOf('\n\n');
  const crlf = text.lastIndexOf('\n\r\n');
  return Math.max(lf >= 0 ? lf + 2 : 0, crlf >= 0 ? crlf + 3 : 0);
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

export class FrameFeed {
  /** When the last chunk arrived. */
  arrival = new Date();
  /** Characters received since the last blank line (end of a message). */
  private unterminated = 0;
  /** The end of what arrived that is not a whole line (with `events`: a whole frame) yet. */
  private partial = '';

  constructor(private readonly o: FrameFeedOptions) {}

  /** Runs before the parser sees a chunk: stamps its arrival and bounds an unterminated frame. */
  measure(chunk: string | Buffer): void {
    this.arrival = new Date();
    const s = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const lf = s.lastIndexOf('\n\n');
    const crlf = s.lastIndexOf('\n\r\n');
    const end = Math.max(lf >= 0 ? lf + 2 : -1, crlf >= 0 ? crlf + 3 : -1);
    this.unterminated = end >= 0 ? s.length - end : this.unterminated + s.length;
    if (this.unterminated > this.o.maxFrameBytes) this.o.onRunaway(this.unterminated);
  }

  /**
   * What arrived, up to its last line break; the rest waits for its line to end. Whole lines let a
   * line be judged as a whole: a `Response: Follows` line (the answer to a Command action, which
   * we never send) would put asterisk-manager's reader into a mode where it swallows every message
   * that follows in the chunk, blank lines and all, until `--END COMMAND--` — stray, it would lose
   * real events. Such a line is renamed into a plain header, and its message is skipped as malformed.
   */
  completeLines(chunk: string): string | null {
    const text = this.partial + chunk;
    const events = this.o.events;
    const end = events ? lastFrameEnd(text) : text.lastIndexOf('\n') + 1;
    if (end <= 0) {
      this.partial = text;
      return null;
    }
    this.partial = text.slice(end);
    let lines = end === text.length ? text : text.slice(0, end);
    if (events) lines = this.withoutUnused(lines, events);
    return UNASKED_FOLLOWS.test(lines) ? lines.replace(UNASKED_FOLLOWS_ALL, '$1X-Unasked-$2') : lines;
  }

  /**
   * Whole frames without those of events nobody uses (`Event: <name>` first, no ActionID): the
   * package's reader, which costs most of the service's CPU under a busy PBX, then parses a fifth
   * of the bytes. Anything else is kept.
   */
  private withoutUnused(text: string, events: ReadonlySet<string>): string {
    let pos = 0;
    let kept = '';
    let keptUpTo = 0;
    let skipped = 0;
    while (pos < text.length) {
      const end = frameEnd(text, pos);
      if (end < 0) break;
      if (text.startsWith('Event: ', pos)) {
        let nameEnd = text.indexOf('\n', pos);
        if (text.charCodeAt(nameEnd - 1) === 13) nameEnd--;
        const name = text.slice(pos + 7, nameEnd);
        const unused = !events.has(name) || (name === 'VarSet' && !this.variableUsed(text, nameEnd, end));
        if (unused && !ACTION_ID.test(text.slice(nameEnd, end))) {
          kept += text.slice(keptUpTo, pos);
          keptUpTo = end;
          skipped++;
        }
      }
      pos = end;
    }
    if (skipped === 0) return text;
    this.o.onSkipped?.(skipped, this.arrival);
    return kept + text.slice(keptUpTo);
  }

  /** Does the VarSet frame between `from` and `end` set a variable of `variables` (all, without the option)? */
  private variableUsed(text: string, from: number, end: number): boolean {
    const variables = this.o.variables;
    if (variables === undefined) return true;
    const at = text.indexOf(VARIABLE, from);
    if (at < 0 || at >= end) return false;
    let lineEnd = text.indexOf('\n', at + VARIABLE.length);
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    return variables.has(text.slice(at + VARIABLE.length, lineEnd));
  }
}
