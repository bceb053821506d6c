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
export function localTime(iso: string | null, zone: string): string {
  return iso ? DateTime.fromISO(iso).setZone(zone).toFormat('dd.MM.yyyy HH:mm:ss') : '';
}

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

/** Every page of a cursor-paginated list. */
export async function* allPages<T>(page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>): AsyncIterable<T[]> {
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    yield p.items;
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
}
