// The server's pushes: pop-ups for ringing calls, notes when a call is taken or stops ringing,
// requests and calls kept current.
import { requestChanged, requestUrl } from './requests';
import { api, lookupCaller, OPEN_STATUSES } from './api';
import { t, type Key } from './i18n';
import { getState, setState, type Ring } from './store';
import type { Call } from '../../wire/call';
import type { Caller } from '../../wire/caller';
import type { ServerMessage, ServerMessageOf } from '../../wire/socket';
import type { Ticket } from '../../wire/ticket';
import { agentText, editors, me, myExt, note, phoneText } from './panel-state';
import { handOver, openCase, restoreCases } from './cases';
import { refreshCallbacks, refreshCallbacksSoon } from './callback-list';
import { countWaiting, countWaitingSoon } from './waiting-count';
import { sendToServer } from './session-flow';
import { resumeBoard } from './board';

function putCall(call: Call): void {
  setState((s) => ({ calls: { ...s.calls, [call.id]: call } }));
}

function ringsForMe(call: Call): boolean {
  const ext = myExt();
  return !!ext && !call.endedAt && call.legs.some((l) => l.extension === ext && !l.answeredAt && !l.endedAt);
}

export function handle(msg: ServerMessage): void {
  switch (msg.type) {
    case 'snapshot':
      void onSnapshot(msg.calls, msg.drafts);
      void countWaiting();
      setState({ pbx: msg.pbx });
      resumeBoard();
      return;
    case 'board.updated':
      setState({ board: msg.board });
      return;
    case 'call.started':
    case 'call.updated':
      putCall(msg.call);
      return;
    case 'call.ringing':
      putCall(msg.call);
      if (msg.extension === myExt()) addRing({ call: msg.call, ticket: msg.ticket, caller: msg.caller ?? null });
      return;
    case 'call.ring_stopped':
      putCall(msg.call);
      if (msg.extension && msg.extension !== myExt()) return;
      if (removeRing(msg.call.id)) ringStoppedNote(msg.call, msg.reason);
      return;
    case 'call.answered': {
      putCall(msg.call);
      if (msg.extension !== myExt()) return;
      // What the pop-up already knows of the caller moves into the case: no reload, no flicker.
      const known = getState().rings.find((r) => r.call.id === msg.call.id)?.caller ?? null;
      removeRing(msg.call.id);
      void openCase(msg.ticket ?? originTicketId(msg.call), msg.call.id, true, known);
      return;
    }
    case 'call.transferred':
      putCall(msg.call);
      if (msg.to.extension === myExt()) {
        note(t('transferredIn', { number: phoneText(msg.call.callerNumber), from: agentText(msg.from) }));
        const ticket = msg.ticket ?? originTicketId(msg.call);
        if (ticket) void openCase(ticket, msg.call.id, !getState().focusCase);
      } else if (msg.from.extension === myExt()) {
        void handOver(msg.call, msg.to);
      }
      return;
    case 'call.ended':
      putCall(msg.call);
      forgetLater(msg.call.id);
      if (removeRing(msg.call.id)) ringStoppedNote(msg.call, 'caller_gone');
      if (msg.call.supportLine && msg.call.outcome === 'missed') refreshCallbacksSoon();
      return;
    case 'ticket.updated':
      onTicket(msg.ticket);
      return;
    case 'ticket.customer':
      customerNote(msg);
      return;
    case 'pbx.status':
      setState({ pbx: msg.pbx });
      return;
    case 'pong':
      return;
    case 'error':
      console.error('calldesk: the server did not take a message:', msg.error, msg.message);
      return;
    default: {
      const _: never = msg;
      return _;
    }
  }
}

/** The customer wrote or decided on a request I work: a note that leads to it, long enough to be read. */
function customerNote(msg: ServerMessageOf<'ticket.customer'>): void {
  const key: Key = msg.said === 'message' ? (msg.notSolved ? 'cs_not_solved' : 'cs_message') : (`cs_${msg.said}` as Key);
  const text = t(key, { number: msg.ticket.number ?? '' }) + (msg.text ? `: ${msg.text}` : '');
  note(text, msg.notSolved || msg.said === 'disagreed' ? 'warn' : 'info', 30_000, requestUrl(msg.ticket));
}

/** An ended call stays only while open work refers to it: the panel runs all shift. */
function forgetLater(callId: string): void {
  window.setTimeout(() => {
    setState((s) => {
      if (!s.calls[callId]?.endedAt || s.cases.some((k) => k.callId === callId)) return {};
      const { [callId]: _gone, ...rest } = s.calls;
      return { calls: rest };
    });
  }, 10_000);
}

function originTicketId(call: Call): string | null {
  return call.ticketIds[0] ?? null;
}

function addRing(ring: Ring): void {
  setState((s) => {
    const old = s.rings.find((r) => r.call.id === ring.call.id);
    const next: Ring = { call: ring.call, ticket: ring.ticket ?? old?.ticket ?? null, caller: ring.caller ?? old?.caller ?? null };
    return { rings: old ? s.rings.map((r) => (r === old ? next : r)) : [...s.rings, next] };
  });
  if (!ring.caller) void loadRingCaller(ring.call);
}

async function loadRingCaller(call: Call): Promise<void> {
  try {
    const caller = await lookupCaller(call.callerNumber, call.id);
    setState((s) => ({ rings: s.rings.map((r) => (r.call.id === call.id ? { ...r, caller } : r)) }));
  } catch (err) {
    console.error('calldesk: caller lookup failed', err);
  }
}

/** Removes a call's pop-up; true when there was one. */
function removeRing(callId: string): boolean {
  const had = getState().rings.some((r) => r.call.id === callId);
  if (had) setState((s) => ({ rings: s.rings.filter((r) => r.call.id !== callId) }));
  return had;
}

function ringStoppedNote(call: Call, reason: string): void {
  const number = phoneText(call.callerNumber);
  if (reason === 'taken') {
    const who = call.answeredBy ?? call.owner ?? null;
    note(who ? t('takenBy', { number, who: agentText(who) }) : t('takenBySomeone', { number }));
  } else if (reason === 'caller_gone') note(t('callerGone', { number }), 'warn');
  else if (reason === 'busy') note(t('busyNote', { number }));
  else note(t('notAnswered', { number }));
}

async function onSnapshot(calls: Call[], drafts: Ticket[]): Promise<void> {
  const agent = me();
  if (!agent) return;
  const prev = getState();
  const byId: Record<string, Call> = {};
  for (const c of calls) byId[c.id] = c;
  // Calls of open work that ended while the panel was away are not in the snapshot: ask for them.
  const missing = prev.cases.map((k) => k.callId).filter((id): id is string => !!id && !byId[id]);
  for (const id of missing) if (prev.calls[id]?.endedAt) byId[id] = prev.calls[id];
  const rings: Ring[] = calls.filter(ringsForMe).map((call) => {
    const old = prev.rings.find((r) => r.call.id === call.id);
    return { call, ticket: old?.ticket ?? drafts.find((d) => d.originCallId === call.id || d.callIds.includes(call.id)) ?? null, caller: old?.caller ?? null };
  });
  setState({ calls: byId, rings });
  for (const r of rings) if (!r.caller) void loadRingCaller(r.call);
  for (const id of missing) if (!byId[id]) void fetchCall(id);

  const ringing = new Set(rings.map((r) => r.call.id));
  for (const d of drafts) {
    const callId = d.originCallId ?? d.callIds[0] ?? null;
    if (d.assignees.includes(agent.id) && !(callId && ringing.has(callId))) await openCase(d, callId, false);
  }
  await restoreCases();
  // Anything edited here or elsewhere while disconnected: bring the editors up to date.
  for (const k of getState().cases) {
    for (const id of k.ticketIds) {
      sendToServer({ type: 'ticket.open', ticketId: id });
      void api.ticket(id).then((fresh) => editors.get(id)?.receive(fresh), () => undefined);
      const ed = editors.get(id);
      if (ed?.hasUnsent && !ed.conflict) void ed.flush();
    }
  }
  void refreshCallbacks();
}

export async function fetchCall(id: string): Promise<void> {
  try {
    putCall(await api.callById(id));
  } catch {
    // the case still shows; its call details come with the next push
  }
}

export function onTicket(ticket: Ticket): void {
  editors.get(ticket.id)?.receive(ticket);
  requestChanged(ticket);
  // A request that is no longer open (confirmed, withdrawn…) leaves the caller's open list.
  const stillOpen = (OPEN_STATUSES as readonly string[]).includes(ticket.status);
  const swap = (c: Caller | null): Caller | null =>
    c && c.openTickets.some((x) => x.id === ticket.id)
      ? { ...c, openTickets: stillOpen ? c.openTickets.map((x) => (x.id === ticket.id ? ticket : x)) : c.openTickets.filter((x) => x.id !== ticket.id) }
      : c;
  setState((s) => ({
    cases: s.cases.map((k) => (k.caller ? { ...k, caller: swap(k.caller) } : k)),
    rings: s.rings.map((r) => (r.caller ? { ...r, caller: swap(r.caller) } : r)),
  }));
  const s = getState();
  if (s.callbacks && (ticket.callbackNeeded || s.callbacks.some((c) => c.id === ticket.id))) refreshCallbacksSoon();
  // Mine now, or mine until now (the push does not say): counted again either way.
  if (ticket.status !== 'draft') countWaitingSoon();
  // A draft handed to this agent (a transfer, a supervisor's assignment) opens by itself.
  const agent = me();
  if (agent && ticket.status === 'draft' && ticket.assignees.includes(agent.id) && !s.cases.some((k) => k.ticketIds.includes(ticket.id))) {
    const callId = ticket.originCallId ?? ticket.callIds[0] ?? null;
    if (!(callId && s.rings.some((r) => r.call.id === callId))) void openCase(ticket, callId, false);
  }
}
