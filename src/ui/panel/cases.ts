// Open work: the requests of each call the agent works on, kept across reloads, handed over on a
// transfer.
import { api, ApiError, lookupCaller } from './api';
import { Editor, unsentTicketIds } from './editor';
import { t } from './i18n';
import { getState, setState, type Case } from './store';
import type { PhoneAgent, Call } from '../../wire/call';
import type { Caller } from '../../wire/caller';
import type { Ticket } from '../../wire/ticket';
import { agentText, bump, casesKey, editors, errorText, me, note, phoneText } from './panel-state';
import { fetchCall } from './pushes';
import { sendToServer } from './session-flow';

export function ensureEditor(ticket: Ticket): Editor {
  const agent = me();
  let ed = editors.get(ticket.id);
  if (ed) ed.receive(ticket);
  else {
    ed = new Editor(ticket, agent?.id ?? '', bump);
    editors.set(ticket.id, ed);
  }
  return ed;
}

/** Opens a request in the panel, in the case of its call; `focus` moves the keyboard into it. */
export async function openCase(ticketOrId: Ticket | string | null, callId: string | null, focus: boolean, knownCaller: Caller | null = null): Promise<void> {
  if (!ticketOrId) return;
  let ticket: Ticket | null = typeof ticketOrId === 'string' ? null : ticketOrId;
  const id = typeof ticketOrId === 'string' ? ticketOrId : ticketOrId.id;
  if (!ticket) {
    try {
      ticket = await api.ticket(id);
    } catch (err) {
      note(errorText(err), 'warn');
      return;
    }
  } else {
    // The pushed copy may predate the owner change: a fresh one follows.
    void api.ticket(id).then((fresh) => editors.get(id)?.receive(fresh), () => undefined);
  }
  ensureEditor(ticket);
  const cid = callId ?? ticket.originCallId ?? ticket.callIds[0] ?? null;
  const number = ticket.callerNumber;
  let opened: Case | undefined;
  setState((s) => {
    let cases = s.cases;
    let k = cases.find((c) => c.ticketIds.includes(id)) ?? (cid ? cases.find((c) => c.callId === cid) : undefined);
    if (k) {
      const next: Case = { ...k, ticketIds: k.ticketIds.includes(id) ? k.ticketIds : [...k.ticketIds, id], active: focus ? id : k.active };
      cases = cases.map((c) => (c === k ? next : c));
      k = next;
    } else {
      const ring = cid ? s.rings.find((r) => r.call.id === cid) : undefined;
      k = { id: cid ?? `t:${id}`, callId: cid, callerNumber: number, ticketIds: [id], active: id, caller: ring?.caller ?? knownCaller, linking: false };
      cases = [...cases, k];
    }
    opened = k;
    return {
      cases,
      focusCase: focus || !s.focusCase ? k.id : s.focusCase,
      focusRequest: focus ? s.focusRequest + 1 : s.focusRequest,
    };
  });
  persistCases();
  sendToServer({ type: 'ticket.open', ticketId: id });
  if (opened && !opened.caller) void loadCaseCaller(opened.id);
  if (cid && !getState().calls[cid]) void fetchCall(cid);
}

async function loadCaseCaller(caseId: string): Promise<void> {
  const k = getState().cases.find((c) => c.id === caseId);
  if (!k) return;
  try {
    const caller = await lookupCaller(k.callerNumber, k.callId ?? undefined);
    setState((s) => ({ cases: s.cases.map((c) => (c.id === caseId ? { ...c, caller } : c)) }));
  } catch (err) {
    console.error('calldesk: caller lookup failed', err);
  }
}

function persistCases(): void {
  try {
    const list = getState().cases.map((k) => ({ callId: k.callId, ticketIds: k.ticketIds }));
    localStorage.setItem(casesKey(), JSON.stringify(list));
  } catch {
    // storage unavailable: open work is rebuilt from the snapshot's drafts
  }
}

/** Work open before a reload, and text never sent, come back (a registered number stays on screen). */
export async function restoreCases(): Promise<void> {
  const agent = me();
  if (!agent) return;
  let remembered: { callId: string | null; ticketIds: string[] }[] = [];
  try {
    remembered = JSON.parse(localStorage.getItem(casesKey()) ?? '[]');
  } catch {
    remembered = [];
  }
  const unsent = new Set(unsentTicketIds(agent.id));
  const wanted: { id: string; callId: string | null }[] = [];
  for (const k of remembered) for (const id of k.ticketIds) wanted.push({ id, callId: k.callId });
  for (const id of unsent) if (!wanted.some((w) => w.id === id)) wanted.push({ id, callId: null });
  for (const w of wanted) {
    if (getState().cases.some((k) => k.ticketIds.includes(w.id))) continue;
    try {
      const ticket = await api.ticket(w.id);
      const finished = ticket.status === 'discarded' || ticket.status === 'closed';
      const elsewhere = ticket.status === 'draft' && !ticket.assignees.includes(agent.id) && ticket.assignees.length > 0;
      if ((finished || elsewhere) && !unsent.has(w.id)) continue;
      await openCase(ticket, w.callId, false);
    } catch (err) {
      if ((err as ApiError).status !== 404) console.error('calldesk: could not reopen a request', w.id, err);
    }
  }
  persistCases();
}

/** A transfer away: what was typed is sent first, then the work leaves this panel. */
export async function handOver(call: Call, to: PhoneAgent): Promise<void> {
  const k = getState().cases.find((c) => c.callId === call.id);
  note(t('transferredAway', { number: phoneText(call.callerNumber), to: agentText(to) }));
  if (!k) return;
  const sent = await Promise.all(k.ticketIds.map((id) => editors.get(id)?.flush() ?? Promise.resolve(true)));
  // Text that could not be sent (a conflict, no connection) stays here, visible, until it can.
  if (sent.every(Boolean)) closeCase(k.id);
}

export function closeCase(caseId: string): void {
  const k = getState().cases.find((c) => c.id === caseId);
  if (!k) return;
  for (const id of k.ticketIds) {
    const ed = editors.get(id);
    if (ed?.hasUnsent) continue;
    ed?.dispose();
    editors.delete(id);
    sendToServer({ type: 'ticket.close', ticketId: id });
  }
  setState((s) => {
    const cases = s.cases.filter((c) => c.id !== caseId);
    const calls = { ...s.calls };
    if (k.callId && calls[k.callId]?.endedAt) delete calls[k.callId];
    return { cases, calls, focusCase: s.focusCase === caseId ? (cases[cases.length - 1]?.id ?? null) : s.focusCase };
  });
  persistCases();
}

export function focusCase(caseId: string, ticketId?: string): void {
  setState((s) => ({
    focusCase: caseId,
    cases: ticketId ? s.cases.map((k) => (k.id === caseId ? { ...k, active: ticketId } : k)) : s.cases,
  }));
}

export function toggleLinking(caseId: string): void {
  setState((s) => ({ cases: s.cases.map((k) => (k.id === caseId ? { ...k, linking: !k.linking } : k)) }));
}
