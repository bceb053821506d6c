// A call's recordings and voicemail on `/calls/<id>`: a player for each file the server found
// under RECORDINGS_DIR (it streams them with byte ranges, so seeking works), else the file's name
// and why it cannot be played; and the small mark the call log shows on calls that have some.
import { h } from 'preact';
import type { Call } from '../../../wire/call';
import { formatDateTime } from '../format';
import { t, type Key } from '../i18n';

const baseName = (file: string) => file.slice(file.lastIndexOf('/') + 1);

export function Recordings({ call }: { call: Call }) {
  if (call.recordings.length === 0) return null;
  return h(
    'section',
    { class: 'recordings', 'data-testid': 'call-recordings' },
    h('h2', null, t('recordingsTitle')),
    h(
      'ul',
      null,
      call.recordings.map((r, n) =>
        h(
          'li',
          { key: n, 'data-testid': 'recording', 'data-kind': r.kind },
          h(
            'div',
            null,
            h('strong', null, t(`rec_${r.kind}` as Key)),
            ` · ${formatDateTime(r.startedAt)}`,
            r.mailbox && h('span', { class: 'muted' }, ` · ${t('recMailbox', { mailbox: r.mailbox })}`),
          ),
          r.available
            ? h('audio', { controls: true, preload: 'metadata', src: `/api/calls/${call.id}/recordings/${n}`, 'aria-label': t(`rec_${r.kind}` as Key) })
            : h('div', { class: 'small muted', 'data-testid': 'recording-missing' }, h('code', null, baseName(r.file)), ` — ${t('recNotFound')}`),
        ),
      ),
    ),
  );
}

/** For the call log's rows: what the PBX recorded of the call, in a word or two. */
export function recordingMark(call: Call) {
  if (call.recordings.length === 0) return null;
  const kinds = [...new Set(call.recordings.map((r) => r.kind))];
  const words = kinds.map((k) => t(k === 'recording' ? 'recMarkRecording' : 'recMarkVoicemail')).join(', ');
  return h('div', { class: 'small rec-mark', 'data-testid': 'call-recorded' }, `● ${words}`);
}
