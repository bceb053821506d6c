// A report's figures as a table: what a chart shows, readable and accessible (and what tests read).
import { h } from 'preact';

export type Cell = string | number;

export interface ReportTableProps {
  testId: string;
  caption: string;
  head: string[];
  /** Each row: its heading cell (a period, an hour, an agent), then the figures. */
  rows: { key: string; cells: Cell[] }[];
  total?: Cell[];
  totalLabel?: string;
}

export function ReportTable(p: ReportTableProps) {
  const row = (cells: Cell[], key: string, cls?: string) =>
    h('tr', { key, class: cls }, h('th', { scope: 'row' }, String(cells[0])), cells.slice(1).map((c, i) => h('td', { key: i, class: 'num' }, String(c))));
  return h(
    'div',
    { class: 'report-table' },
    h(
      'table',
      { class: 'ticket-table', 'data-testid': p.testId },
      h('caption', { class: 'visually-hidden' }, p.caption),
      h('thead', null, h('tr', null, p.head.map((c, i) => h('th', { key: i, scope: 'col', class: i > 0 ? 'num' : undefined }, c)))),
      h('tbody', null, p.rows.map((r) => row(r.cells, r.key))),
      p.total && h('tfoot', null, row([p.totalLabel ?? '', ...p.total], 'total', 'total')),
    ),
  );
}

/** A figure for a table: numbers in the page's language, `—` for none. */
export function figure(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v.toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1 });
}

/** A share 0…1 as percent (`66,7 %`), `—` for none. */
export const percent = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${figure(Math.round(v * 1000) / 10)} %`);
