// What the panel does: turns the server's pushes into pop-ups, open work and lists, and carries
// out the agent's actions through the API. Components call these functions and render the store.
import { api, ApiError, lookupCaller, OPEN_STATUSES, whenUnauthorized } from './api';
import { Editor, unsentTicketIds } from './editor';
import { formatPhone } from './format';
import { applyLang, initialLang, t, type Lang } from './i18n';
import { CLOSE_SESSION_CHANGED, CLOSE_SESSION_ENDED, LiveSocket } from './socket';
import { getState, setState, type Case, type Ring } from './store';
import type { AgentRef, Call, Caller, ServerMessage, Ticket } from './types';

/** The editors of the requests open in the panel, by request id. */
export const editors = new Map<string, Editor>();
let socket: LiveSocket | null = null;
let noteSeq = 0;

const me = () => getState().agent ?? null;
const myExt = () => me()?.extension ?? null;
const bump = () => setState((s) => ({ edits: s.edits + 1 }));
const casesKey = () => `calldesk.cases.${me()?.id ?? ''}`;

export const phoneText = (n: string | null | undefined) => formatPhone(n) ?? t('withheld');
export const agentText = (a: AgentRef | null | undefined) =>
  a ? (a.login ? `${a.login} (${t('extension', { ext: a.extension })})` : t('extension', { ext: a.extension })) : '?';

export function note(text: string, tone: 'info' | 'warn' = 'info', ms = 7000): void {
  const id = ++noteSeq;
  // A burst (a busy ring group) must not bury the screen in notes: the last few are enough.
  setState((s) => ({ notes: [...s.notes, { id, text, tone }].slice(-4) }));
  window.setTimeout(() => dismissNote(id), ms);
}

export function dismissNote(id: number): void {
  setState((s) => ({ notes: s.notes.filter((n) => n.id !== id) }));
}

export function errorText(err: unknown): string {
  return t('error', { message: err instanceof Error ? err.message : String(err) });
}

// ---- start, sign-in, sign-out ----

export async function boot(): Promise<void> {
  setLang(initialLang());
  whenUnauthorized(() => signedOut(true));
  window.addEventListener('pagehide', () => {
    for (const e of editors.values()) e.sendOnUnload();
  });
  window.addEventListener('online', () => socket?.reconnectNow());
  window.setInterval(() => {
    const s = getState();
    if (s.rings.length || Object.values(s.calls).some((c) => !c.endedAt)) setState({ now: Date.now() });
  }, 1000);
  window.setInterval(() => void refreshCallbacks(), 60_000);
  try {
    const { agent } = await api.whoami();
    setState({ agent });
    if (agent) startLive();
  } catch {
    setState({ agent: null });
  }
}

export function setLang(lang: Lang): void {
  applyLang(lang);
  setState({ lang });
}

export async function signIn(login: string, password: string): Promise<void> {
  try {
    const { agent } = await api.login(login, password);
    setState({ agent, loginError: null });
    startLive();
  } catch (err) {
    const e = err as ApiError;
    setState({ loginError: e.status === 401 ? t('wrongPassword') : e.status === 429 ? t('tooManyLogins') : errorText(err) });
  }
}

export async function signOut(): Promise<void> {
  await Promise.all([...editors.values()].map((e) => e.flush().catch(() => false)));
  // Closed first: the server ends the socket of a logged-out session, which must not read as expiry.
  socket?.stop();
  socket = null;
  await api.logout().catch(() => undefined);
  signedOut(false);
}

function signedOut(expired: boolean): void {
  if (getState().agent === null) return;
  socket?.stop();
  socket = null;
  // Unsent text stays in localStorage: it is sent after the next sign-in.
  for (const e of editors.values()) e.dispose();
  editors.clear();
  setState({ agent: null, loginError: expired ? t('sessionEnded') : null, cases: [], rings: [], notes: [], calls: {}, callbacks: null, focusCase: null, link: 'connecting' });
}

function startLive(): void {
  socket?.stop();
  socket = new LiveSocket({
    onMessage: handle,
    onState: (link) => setState({ link }),
    onServerClose: (code) => {
      if (code === CLOSE_SESSION_ENDED) {
        signedOut(true);
        return 'stop';
      }
      if (code === CLOSE_SESSION_CHANGED) {
        // A new extension or role: who this agent is comes again before the new snapshot.
        void api.whoami().then(({ agent }) => (agent ? setState({ agent }) : signedOut(true)), () => undefined);
        return 'now';
      }
      return undefined;
    },
    sessionValid: async () => {
      try {
        return Boolean((await api.whoami()).agent);
      } catch (err) {
        if ((err as ApiError).status === 401) {
          signedOut(true);
          return false;
        }
        return true;
      }
    },
  });
  socket.start();
}

// ---- pushes ----

function putCall(call: Call): void {
  setState((s) => ({ calls: { ...s.calls, [call.id]: call } }));
}

function ringsForMe(call: Call): boolean {
  const ext = myExt();
  return !!ext && !call.endedAt && call.legs.some((l) => l.extension === ext && !l.answeredAt && !l.endedAt);
}

function handle(msg: ServerMessage): void {
  switch (msg.type) {
    case 'snapshot':
      void onSnapshot(msg.calls, msg.drafts);
      setState({ pbx: msg.pbx });
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
      socket?.send({ type: 'ticket.open', ticketId: id });
      void api.ticket(id).then((fresh) => editors.get(id)?.receive(fresh), () => undefined);
      const ed = editors.get(id);
      if (ed?.hasUnsent && !ed.conflict) void ed.flush();
    }
  }
  void refreshCallbacks();
}

async function fetchCall(id: string): Promise<void> {
  try {
    putCall(await api.callById(id));
  } catch {
    // the case still shows; its call details come with the next push
  }
}

function onTicket(ticket: Ticket): void {
  editors.get(ticket.id)?.receive(ticket);
  // A request that is no longer open (confirmed, withdrawn…) leaves the caller's open list.
  const stillOpen = OPEN_STATUSES.includes(ticket.status);
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
  // A draft handed to this agent (a transfer, a supervisor's assignment) opens by itself.
  const agent = me();
  if (agent && ticket.status === 'draft' && ticket.assignees.includes(agent.id) && !s.cases.some((k) => k.ticketIds.includes(ticket.id))) {
    const callId = ticket.originCallId ?? ticket.callIds[0] ?? null;
    if (!(callId && s.rings.some((r) => r.call.id === callId))) void openCase(ticket, callId, false);
  }
}

// ---- open work ----

function ensureEditor(ticket: Ticket): Editor {
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
  socket?.send({ type: 'ticket.open', ticketId: id });
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
async function restoreCases(): Promise<void> {
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
async function handOver(call: Call, to: AgentRef): Promise<void> {
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
    socket?.send({ type: 'ticket.close', ticketId: id });
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

// ---- actions on requests ----

/** R1: registers after the last keystrokes are saved; the journal number comes back. */
export async function register(ticketId: string, callId: string | null): Promise<void> {
  const ed = editors.get(ticketId);
  if (!ed) return;
  if (!(await ed.flush())) throw new Error(ed.conflict ? t('conflictTitle') : (ed.error ?? t('offline')));
  const send = () => api.transition(ticketId, { to: 'registered', version: ed.base.version, ...(callId ? { callId } : {}) });
  let done: Ticket;
  try {
    done = await send();
  } catch (err) {
    // A version bump that is not an edit (an assignment, say): take the current one and go again.
    if ((err as ApiError).status !== 409 || (err as ApiError).code !== 'stale_version') throw err;
    ed.receive(await api.ticket(ticketId), true);
    if (ed.conflict) throw new Error(t('conflictTitle'));
    done = await send();
  }
  ed.receive(done);
}

/** R2: the number was read out. */
export async function markNumberTold(ticketId: string): Promise<void> {
  const done = await api.numberTold(ticketId);
  editors.get(ticketId)?.receive(done);
}

/** R4: another problem in the same call becomes its own request, linked to the first. */
export async function anotherProblem(caseId: string, parentId: string): Promise<void> {
  const k = getState().cases.find((c) => c.id === caseId);
  const created = await api.create({ ...(k?.callId ? { callIds: [k.callId] } : {}), parentId });
  await openCase(created, k?.callId ?? null, true);
}

/**
 * The call was about one of the caller's requests: the call is linked to it and the draft is
 * discarded as linked. Notes typed into the draft go into that request's journal as a comment.
 */
export async function linkToExisting(caseId: string, draftId: string, existing: Ticket): Promise<void> {
  const k = getState().cases.find((c) => c.id === caseId);
  if (!k?.callId) return;
  const ed = editors.get(draftId);
  // The draft's notes are carried over below: they must be on the server (or visible) first.
  if (ed && !(await ed.flush())) throw new Error(ed.conflict ? t('conflictTitle') : (ed.error ?? t('offline')));
  const linked = await api.linkCall(existing.id, k.callId);
  const v = ed?.values;
  const notes = v ? [v.subject, v.description, v.technicalDetails].map((x) => x.trim()).filter(Boolean).join('\n\n') : '';
  if (notes) {
    await api.comment(existing.id, notes, k.callId).catch((err) => note(errorText(err), 'warn'));
    note(t('notesMoved', { n: linked.number ?? '' }));
  }
  note(t('linked', { n: linked.number ?? '' }));
  await openCase(linked, k.callId, true);
  setState((s) => ({ cases: s.cases.map((c) => (c.id === caseId ? { ...c, linking: false } : c)) }));
  void api.ticket(draftId).then((d) => editors.get(draftId)?.receive(d), () => undefined);
}

export async function discardDraft(ticketId: string, reason: string): Promise<void> {
  const ed = editors.get(ticketId);
  if (ed) await ed.flush();
  const done = await api.transition(ticketId, { to: 'discarded', reason, ...(ed ? { version: ed.base.version } : {}) });
  ed?.receive(done);
}

export type Decision = 'confirm' | 'disagree' | 'withdraw';

/** R8, R9, R11 relayed by the agent on the customer's behalf, journaled with the call they came on. */
export async function customerDecision(ticket: Ticket, decision: Decision, callId: string | null, comment?: string): Promise<Ticket> {
  const call = callId ? { callId } : {};
  const body =
    decision === 'confirm'
      ? { to: 'closed', reason: 'confirmed', ...call }
      : decision === 'disagree'
        ? { to: 'in_progress', comment: comment ?? '', ...call }
        : { to: 'closed', reason: 'withdrawn', ...(comment ? { comment } : {}), ...call };
  const done = await api.transition(ticket.id, body);
  const n = done.number ?? '';
  note(t('recorded', { what: t(decision === 'confirm' ? 'decisionConfirmed' : decision === 'disagree' ? 'decisionReopened' : 'decisionWithdrawn', { n }) }));
  onTicket(done);
  return done;
}

// ---- call-back list ----

let callbacksLoading: Promise<void> | null = null;
let callbacksTimer: number | undefined;

/** Many changes in a burst ask for one reload of the list. */
function refreshCallbacksSoon(): void {
  window.clearTimeout(callbacksTimer);
  callbacksTimer = window.setTimeout(() => void refreshCallbacks(), 250);
}

export function refreshCallbacks(): Promise<void> {
  if (!me()) return Promise.resolve();
  callbacksLoading ??= (async () => {
    try {
      const res = await api.tickets({ status: 'draft', callbackNeeded: true, sort: 'newest', limit: 200 });
      setState({ callbacks: res.items, callbacksError: null });
    } catch (err) {
      setState({ callbacksError: errorText(err) });
    } finally {
      callbacksLoading = null;
    }
  })();
  return callbacksLoading;
}

/** Someone reached the caller another way (or it was a wrong number): the missed drafts go. */
export async function discardCallbacks(tickets: Ticket[], reason: string): Promise<void> {
  for (const tk of tickets) await api.transition(tk.id, { to: 'discarded', reason, version: tk.version });
  note(t('discarded', { number: phoneText(tickets[0]?.callerNumber) }));
  await refreshCallbacks();
}
