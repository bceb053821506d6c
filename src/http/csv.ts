// CSV for Russian Excel: UTF-8 with a byte-order mark (so Excel reads Cyrillic), `;` between fields
// (the decimal comma makes `,` ambiguous), CRLF line ends, times in support time (Moscow). Rows come page by
// page from the database, so an export of any size takes constant memory.
import { Readable } from 'node:stream';
import { DateTime } from 'luxon';

const BOM = '\uFEFF';

/** A field quoted when it holds the separator, a quote or a line break. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: unknown[]) => values.map(field).join(';') + '\r\n';

/** An instant as wall time in `zone`, `dd.MM.yyyy HH:mm:ss` (Excel reads it as a date); '' for none. */
export function localTime(iso: string | Date | null, zone: string): string {
  if (!iso) return '';
  const ms = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  // luxon per row cost 45 µs (two times a row: a million-row export spent most of its time here);
  // the zone's offset is looked up once per hour of the day and the wall time written by hand.
  const hour = Math.floor(ms / 3_600_000);
  const key = `${zone}|${hour}`;
  let offsetMin = offsets.get(key);
  if (offsetMin === undefined) {
    if (offsets.size > 50_000) offsets.clear();
    offsetMin = DateTime.fromMillis(hour * 3_600_000, { zone }).offset;
    offsets.set(key, offsetMin);
  }
  const d = new Date(ms + offsetMin * 60_000);
  return `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** Offsets of time zones from UTC in minutes, by zone and hour (offsets change on the hour). */
const offsets = new Map<string, number>();
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The header, then every page's rows as they are read. */
export function csvStream<T>(header: string[], pages: AsyncIterable<T[]>, row: (item: T) => unknown[]): Readable {
  async function* lines() {
    yield BOM + csvLine(header);
    for await (const page of pages) {
      let chunk = '';
      for (const item of page) chunk += csvLine(row(item));
      if (chunk) yield chunk;
    }
  }
  return Readable.from(lines());
}

/**
 * Every page of a cursor-paginated list. The next page is asked for as soon as a page arrives, so
 * the database reads it while this one is written out; never more than one page ahead, and only as
 * fast as the client takes the rows (the stream pulls the next page when it has room).
 */
export async function* allPages<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>): AsyncIterable<T[]> {
  let next: Promise<{ items: T[]; nextCursor: string | null }> | null = page();
  while (next) {
    const p: { items: T[]; nextCursor: string | null } = await next;
    next = p.nextCursor ? page(p.nextCursor) : null;
    // A page read ahead and then dropped (the client went away) must not be an unhandled rejection.
    next?.catch(() => undefined);
    yield p.items;
  }
}
