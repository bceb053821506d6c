// The panel's state: one immutable object, replaced on every change, and a hook that re-renders
// a component when it changes. Notifications are batched into one per microtask, so a burst of
// WebSocket messages renders once.
import { useEffect, useReducer } from 'preact/hooks';
import type { Agent } from '../../wire/agent';
import type { Board } from '../../wire/board';
import type { Call } from '../../wire/call';
import type { Caller } from '../../wire/caller';
import type { PbxStatus } from '../../wire/socket';
import type { Ticket } from '../../wire/ticket';
import type { Lang } from './i18n';

/** A ringing support call shown as a pop-up. */
export interface Ring {
  call: Call;
  ticket: Ticket | null;
  caller: Caller | null;
}

/** A short message that goes by itself (the pop-up of a call someone else took, a transfer…). */
export interface Note {
  id: number;
  text: string;
  tone: 'info' | 'warn';
  /** Where the note leads (the request it is about). */
  href?: string;
}

/** The work of one call: its requests (the draft, further problems, a linked request) and the caller. */
export interface Case {
  /** The call id, or `t:<ticket id>` for a request opened without a call. */
  id: string;
  callId: string | null;
  callerNumber: string | null;
  ticketIds: string[];
  active: string;
  caller: Caller | null;
  /** The "about an existing request" list is open. */
  linking: boolean;
}

export interface State {
  lang: Lang;
  /** undefined while the session is being checked, null when logged out. */
  agent: Agent | null | undefined;
  loginError: string | null;
  link: 'connecting' | 'open' | 'down';
  pbx: PbxStatus[];
  calls: Record<string, Call>;
  rings: Ring[];
  notes: Note[];
  cases: Case[];
  focusCase: string | null;
  /** Bumped to move the keyboard focus into the active request's first field. */
  focusRequest: number;
  callbacks: Ticket[] | null;
  callbacksError: string | null;
  /** My requests whose customer waits for an answer (waiting-count.ts). */
  waitingMine: number;
  now: number;
  /** Bumped when an editor changes (its state lives outside this object). */
  edits: number;
  /** Colleagues' names by id (to show who a request is assigned to); loaded once signed in. */
  colleagues: Record<string, string> | null;
  /** The live board while a supervisor's page shows it. */
  board: Board | null;
}

/** A page of the panel: what the router matches it by, and the state it shows. */
export interface PageProps {
  state: State;
  path?: string;
  default?: boolean;
}

let state: State = {
  lang: 'ru',
  agent: undefined,
  loginError: null,
  link: 'connecting',
  pbx: [],
  calls: {},
  rings: [],
  notes: [],
  cases: [],
  focusCase: null,
  focusRequest: 0,
  callbacks: null,
  callbacksError: null,
  waitingMine: 0,
  now: Date.now(),
  edits: 0,
  colleagues: null,
  board: null,
};

const listeners = new Set<() => void>();
let queued = false;

export function getState(): State {
  return state;
}

export function setState(change: Partial<State> | ((s: State) => Partial<State>)): void {
  state = { ...state, ...(typeof change === 'function' ? change(state) : change) };
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    for (const l of [...listeners]) l();
  });
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useAppState(): State {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => subscribe(() => rerender(0)), []);
  return state;
}
