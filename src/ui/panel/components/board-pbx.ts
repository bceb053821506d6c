// The live board's PBX section, shown when more than one PBX is configured (with one, the top bar's
// PBX chip already says whether it is connected, and the tiles are its figures): per PBX, whether
// it is connected, its calls now, its waiting callers and today's figures — so a supervisor sees
// which PBX is down and where the calls are.
import { h } from 'preact';
import type { BoardPbx } from '../../../wire/board';
import { formatTime } from '../format';
import { t } from '../i18n';

export const percent = (n: number | null) => (n === null ? '—' : `${Math.round(n * 100)} %`);

function PbxRow({ p }: { p: BoardPbx }) {
  return h(
    'tr',
    { 'data-testid': `pbx-${p.id}`, 'data-connected': String(p.connected) },
    h('td', null, p.id),
    h(
      'td',
      null,
      h('span', { class: `chip ${p.connected ? 'ok' : 'bad'}` }, t(p.connected ? 'pbxConnected' : 'pbxDown')),
      !p.connected && p.lastEventAt && h('span', { class: 'muted small' }, ` · ${t('pbxLastEvent', { time: formatTime(p.lastEventAt) })}`),
    ),
    h('td', { class: 'num', 'data-testid': 'pbx-live' }, p.liveCalls),
    h('td', { class: 'num', 'data-testid': 'pbx-waiting' }, p.waiting),
    h('td', { class: 'num', 'data-testid': 'pbx-calls' }, p.today.calls),
    h('td', { class: 'num', 'data-testid': 'pbx-answered' }, p.today.answered),
    h('td', { class: 'num', 'data-testid': 'pbx-missed' }, p.today.missed),
    h('td', { class: 'num' }, percent(p.today.serviceLevel)),
  );
}

export function PbxSection({ pbx }: { pbx: BoardPbx[] }) {
  return h(
    'section',
    { 'aria-label': t('pbxTitle') },
    h('h2', null, t('pbxTitle')),
    h(
      'table',
      { class: 'ticket-table', 'data-testid': 'pbx-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, t('pbxCol')),
          h('th', null, t('pbxConnection')),
          h('th', null, t('pbxLiveCalls')),
          h('th', null, t('waitingTitle')),
          h('th', null, `${t('tileCalls')} (${t('today').toLowerCase()})`),
          h('th', null, t('tileAnswered')),
          h('th', null, t('tileMissed')),
          h('th', null, t('tileServiceLevel')),
        ),
      ),
      h('tbody', null, pbx.map((p) => h(PbxRow, { key: p.id, p }))),
    ),
  );
}
