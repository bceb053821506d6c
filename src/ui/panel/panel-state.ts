// What every part of the panel's behaviour shares: the open requests' editors, who is signed in,
// notes on screen, how phones, agents and errors read.
import type { Editor } from './editor';
import { formatPhone } from './format';
import { t, type Key } from './i18n';
import { getState, setState } from './store';
import type { PhoneAgent } from '../../wire/call';
import type { Ticket } from '../../wire/ticket';

/** The editors of the requests open in the panel, by request id. */
export const editors = new Map<string, Editor>();
let noteSeq = 0;

export const me = () => getState().agent ?? null;
export const myExt = () => me()?.extension ?? null;
export const bump = () => setState((s) => ({ edits: s.edits + 1 }));
export const casesKey = () => `calldesk.cases.${me()?.id ?? ''}`;

export const phoneText = (n: string | null | undefined) => formatPhone(n) ?? t('withheld');
/**
 * Who a request is from, in a few words: the caller's number, else its customer, else how it came
 * («почта») — «Номер скрыт» only for a call whose number was withheld.
 */
export function requestFrom(tk: Pick<Ticket, 'callerNumber' | 'customer' | 'channel' | 'senderEmail'>): string {
  if (tk.callerNumber) return phoneText(tk.callerNumber);
  const who = [tk.customer?.name, tk.customer?.organisationName].filter(Boolean).join(' · ');
  if (who) return who;
  // A sender not in the directory: the address they wrote from.
  if (tk.senderEmail) return tk.senderEmail;
  return tk.channel === 'phone' ? t('withheld') : t(`ch_${tk.channel}` as Key);
}
export const agentText = (a: PhoneAgent | null | undefined) =>
  a ? (a.login ? `${a.login} (${t('extension', { ext: a.extension })})` : t('extension', { ext: a.extension })) : '?';

export function note(text: string, tone: 'info' | 'warn' = 'info', ms = 7000, href?: string): void {
  const id = ++noteSeq;
  // A burst (a busy ring group) must not bury the screen in notes: the last few are enough.
  setState((s) => ({ notes: [...s.notes, { id, text, tone, ...(href ? { href } : {}) }].slice(-4) }));
  window.setTimeout(() => dismissNote(id), ms);
}

export function dismissNote(id: number): void {
  setState((s) => ({ notes: s.notes.filter((n) => n.id !== id) }));
}

export function errorText(err: unknown): string {
  return t('error', { message: err instanceof Error ? err.message : String(err) });
}
