// The live board's subscription: a page that shows it watches it; the server then sends the board
// now and on every change (`board.updated`), and again after a reconnect (the watch is renewed
// when the snapshot arrives).
import { sendToServer } from './session-flow';
import { setState } from './store';

let watchers = 0;

export function watchBoard(): () => void {
  if (watchers++ === 0) sendToServer({ type: 'board.watch' });
  return () => {
    if (--watchers > 0) return;
    sendToServer({ type: 'board.unwatch' });
    setState({ board: null });
  };
}

/** A new connection: the server forgot the watch. */
export function resumeBoard(): void {
  if (watchers > 0) sendToServer({ type: 'board.watch' });
}
