// The agent's actions on requests, through the API: register, number told, another problem, link,
// discard, the customer's decision relayed.
import { api, ApiError } from './api';
import { t } from './i18n';
import { getState, setState } from './store';
import type { Ticket } from '../../wire/ticket';
import { editors, errorText, note } from './panel-state';
import { onTicket } from './pushes';
import { openCase } from './cases';

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
