// Start, sign-in, sign-out, and the live socket of a signed-in panel.
import { api, ApiError, whenUnauthorized } from './api';
import { applyLang, initialLang, t, type Lang } from './i18n';
import { CLOSE_SESSION_CHANGED, CLOSE_SESSION_ENDED, LiveSocket } from './socket';
import { getState, setState } from './store';
import { editors, errorText } from './panel-state';
import { handle } from './pushes';
import { refreshCallbacks } from './callback-list';
import { loadColleagues } from './requests';

let socket: LiveSocket | null = null;

/** A message to the server on the live socket (dropped while it is down: the snapshot after a reconnect covers it). */
export function sendToServer(msg: { type: string } & Record<string, unknown>): void {
  socket?.send(msg);
}

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
    if (agent && !agent.mustChangePassword) startLive();
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
    // A temporary password: the server takes nothing else until it is changed.
    if (!agent.mustChangePassword) startLive();
  } catch (err) {
    const e = err as ApiError;
    setState({ loginError: e.status === 401 ? t('wrongPassword') : e.status === 429 ? t('tooManyLogins') : errorText(err) });
  }
}

/** The agent chose their own password: the panel starts. */
export function passwordChanged(): void {
  const agent = getState().agent;
  if (!agent?.mustChangePassword) return;
  setState({ agent: { ...agent, mustChangePassword: false } });
  startLive();
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
  setState({ agent: null, loginError: expired ? t('sessionEnded') : null, cases: [], rings: [], notes: [], calls: {}, callbacks: null, waitingMine: 0, focusCase: null, link: 'connecting' });
}

function startLive(): void {
  socket?.stop();
  // Names for the assignees the request lists show (a failure leaves ids unnamed, nothing else).
  loadColleagues().then(
    (list) => setState({ colleagues: Object.fromEntries(list.map((c) => [c.id, c.name || c.login])) }),
    () => undefined,
  );
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
