// A mail's words as a person wrote them: HTML turned into text, and the quoted history under a
// reply folded away (the way Outlook, Gmail, Thunderbird and Russian clients quote). Pure.

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", laquo: '«', raquo: '»', mdash: '—', ndash: '–', hellip: '…' };

/** An HTML-only mail as plain text: blocks become lines, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<blockquote\b[^>]*>/gi, '\n> ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|tr|li|h[1-6]|table|ul|ol|blockquote)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
      }
      return ENTITIES[e.toLowerCase()] ?? all;
    })
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Lines where the quoted history begins.
const HISTORY_STARTS: RegExp[] = [
  /^-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|forwarded message)\s*-{2,}/i,
  /^_{20,}\s*$/, // Outlook's rule above its "From: … Sent: …" block
  /^(on|am|le)\s.{0,200}(wrote|schrieb|a écrit)\s*:\s*$/i, // Gmail, Thunderbird
  /^.{0,200}(написал|написала|написал\(а\)|пишет)\s*:\s*$/i, // Russian clients
  /^(from|от|отправлено|sent)\s*:\s.+$/i, // Outlook's header block without a rule
];

export interface ReplyText {
  /** What the sender wrote this time. */
  text: string;
  /** The history under it (folded away; empty when there was none). */
  quoted: string;
}

/** Splits a mail's text into the new words and the quoted history under them. */
export function foldQuoted(body: string): ReplyText {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    // Gmail wraps a long "On … wrote:" over two lines.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1].trim()}` : line;
    if (HISTORY_STARTS.some((re) => re.test(line))) {
      // An Outlook "From:" line counts only where a header block follows (Sent/Отправлено/To/Кому).
      if (/^(from|от)\s*:/i.test(line) && !/^(sent|отправлено|date|дата|to|кому)\s*:/i.test(lines[i + 1]?.trim() ?? '')) continue;
      cut = i;
      break;
    }
    if (/^(on|am)\s/i.test(line) && /(wrote|schrieb)\s*:\s*$/i.test(joined) && !/(wrote|schrieb)/i.test(line)) {
      cut = i;
      break;
    }
    // A trailing run of "> " lines is quoted history even without an introduction.
    if (line.startsWith('>') && lines.slice(i).every((l) => l.trim() === '' || l.trim().startsWith('>'))) {
      cut = i;
      // Its introduction ("Ср, 2 дек. 2026 г. в 11:00, Поддержка <…>:") goes with it.
      let before = i - 1;
      while (before >= 0 && lines[before].trim() === '') before--;
      if (before > 0 && lines[before].trim().endsWith(':')) cut = before;
      break;
    }
  }
  return { text: trimLines(lines.slice(0, cut)), quoted: trimLines(lines.slice(cut)) };
}

function trimLines(lines: string[]): string {
  return lines.join('\n').replace(/[ \t]+$/gm, '').trim();
}

// A customer saying the solution did not help (shown to the assignee to relay as disagreement, R8).
const NOT_SOLVED = [
  /не\s+(решен|решён|решена|решено|помогл|помог|устранен|устранён|исправлен)/i,
  /(по-прежнему|всё ещё|все ещё|все еще|всё еще|опять|снова)\s+(не\s+)?(работает|ошибка|падает|не)/i,
  /не\s+работает/i,
  /\b(not|isn'?t|wasn'?t|hasn'?t been)\s+(solved|fixed|resolved|working)\b/i,
  /\b(still|again)\s+(broken|failing|not working|the same|does not|doesn'?t)\b/i,
  /\bdid(n'?t| not)\s+(help|work)\b/i,
];

/** Whether a reply to a completed request says the problem is not solved. */
export function saysNotSolved(text: string): boolean {
  return NOT_SOLVED.some((re) => re.test(text));
}
