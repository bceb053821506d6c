// `/board` (supervisors): the live board — today's figures as tiles, each PBX (with more than one:
// board-pbx.ts), the callers waiting, and every agent's presence — kept live by `board.updated`
// pushes; the durations tick every second.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Board, BoardAgent } from '../../../wire/board';
import { watchBoard } from '../board';
import { formatDateTime, formatDuration } from '../format';
import { PbxSection, percent } from './board-pbx';
import { SurgeBanner } from './incident-parts';
import { t, type Key } from '../i18n';
import { phoneText } from '../panel-state';
import type { PageProps } from '../store';

const seconds = (n: number | null) => (n === null ? '—' : `${Math.round(n)} ${t('secondsShort')}`);

function Tile({ label, value, hint, tone, testid }: { label: string; value: string | number; hint?: string; tone?: 'bad'; testid: string }) {
  return h(
    'div',
    { class: `tile${tone ? ` ${tone}` : ''}`, 'data-testid': testid },
    h('div', { class: 'tile-value' }, String(value)),
    h('div', { class: 'tile-label' }, label),
    hint && h('div', { class: 'tile-hint muted small' }, hint),
  );
}

function Tiles({ board }: { board: Board }) {
  const d = board.today;
  return h(
    'section',
    { class: 'tiles', 'aria-label': t('today') },
    h(Tile, { label: t('tileCalls'), value: d.calls, testid: 'tile-calls' }),
    h(Tile, { label: t('tileAnswered'), value: d.answered, testid: 'tile-answered' }),
    h(Tile, { label: t('tileMissed'), value: d.missed, testid: 'tile-missed' }),
    h(Tile, { label: t('tileAbandoned'), value: d.abandoned, hint: t('tileShortAbandoned', { seconds: 5 }) + `: ${d.shortAbandoned}`, testid: 'tile-abandoned' }),
    h(Tile, { label: t('tileServiceLevel'), value: percent(d.serviceLevel), hint: t('tileServiceLevelHint'), testid: 'tile-service-level' }),
    h(Tile, { label: t('tileAsa'), value: seconds(d.asaSeconds), testid: 'tile-asa' }),
    h(Tile, { label: t('tileAht'), value: seconds(d.ahtSeconds), testid: 'tile-aht' }),
    h(Tile, {
      label: t('tileCallbacks'),
      value: d.callbacksDue,
      hint: d.callbacksOverdue > 0 ? t('tileCallbacksOverdue', { count: d.callbacksOverdue }) : undefined,
      tone: d.callbacksOverdue > 0 ? 'bad' : undefined,
      testid: 'tile-callbacks',
    }),
    h(Tile, {
      label: t('tileCustomersWaiting'),
      value: d.customersWaiting,
      hint: d.customersWaitingSince ? t('tileCustomersWaitingSince', { time: formatDateTime(d.customersWaitingSince) }) : undefined,
      testid: 'tile-customers-waiting',
    }),
  );
}

function AgentRow({ a, now, manyPbx }: { a: BoardAgent; now: number; manyPbx: boolean }) {
  return h(
    'tr',
    { 'data-testid': `agent-${a.extension ?? a.id}`, 'data-presence': a.presence },
    h('td', null, a.name, a.extension && h('span', { class: 'muted small' }, ` · ${a.extension}`)),
    h('td', null, h('span', { class: `presence pr-${a.presence}` }, t(`pr_${a.presence}` as Key)), a.pausedReason && h('span', { class: 'muted small' }, ` · ${a.pausedReason}`)),
    h('td', { class: 'num' }, a.since ? formatDuration(a.since, now) : ''),
    h('td', null, a.callId ? h('a', { href: `/calls/${a.callId}` }, phoneText(a.withNumber)) : '', manyPbx && a.callPbx && h('span', { class: 'muted small' }, ` · ${a.callPbx}`)),
  );
}

export function BoardPage({ state }: PageProps) {
  const [now, setNow] = useState(Date.now());
  const staff = state.agent?.role !== 'agent';
  useEffect(() => (staff ? watchBoard() : undefined), [staff]);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const board = state.board;
  const manyPbx = (board?.pbx.length ?? 0) > 1;
  if (state.agent?.role === 'agent') return h('main', { class: 'page' }, h('p', { class: 'muted', 'data-testid': 'supervisors-only' }, t('supervisorsOnly')));
  if (!board) return h('main', { class: 'page' }, h('h1', null, t('boardTitle')), h('p', { class: 'muted', role: 'status' }, t('boardLoading')));
  return h(
    'main',
    { class: 'page board' },
    h('h1', null, t('boardTitle')),
    board.surge && h(SurgeBanner, { surge: board.surge }),
    h(Tiles, { board }),
    manyPbx && h(PbxSection, { pbx: board.pbx }),
    h('h2', null, t('waitingTitle'), ` (${board.waiting.length})`),
    board.waiting.length === 0
      ? h('p', { class: 'muted' }, t('nobodyWaiting'))
      : h(
          'table',
          { class: 'ticket-table', 'data-testid': 'waiting' },
          h('thead', null, h('tr', null, h('th', null, t('customerPhone')), manyPbx && h('th', null, t('pbxCol')), h('th', null, t('queue')), h('th', null, t('waitingSince')))),
          h(
            'tbody',
            null,
            board.waiting.map((w) =>
              h(
                'tr',
                { key: w.callId, 'data-pbx': w.pbx },
                h('td', null, h('a', { href: `/calls/${w.callId}` }, phoneText(w.callerNumber))),
                manyPbx && h('td', null, w.pbx),
                h('td', null, w.queue ?? ''),
                h('td', { class: 'num' }, formatDuration(w.since, now)),
              ),
            ),
          ),
        ),
    h('h2', null, t('agentsTitle')),
    board.agents.length === 0
      ? h('p', { class: 'muted' }, t('noAgents'))
      : h(
          'table',
          { class: 'ticket-table', 'data-testid': 'agents' },
          h('thead', null, h('tr', null, h('th', null, t('agentName')), h('th', null, t('presenceCol')), h('th', null, t('sinceCol')), h('th', null, t('withWhom')))),
          h('tbody', null, board.agents.map((a) => h(AgentRow, { key: a.id, a, now, manyPbx }))),
        ),
  );
}
