// A call's legs as a timeline: each phone that rang, when, whether and when it answered, how it
// ended, how long it rang and how long they talked.
import { h } from 'preact';
import type { Call } from '../../../wire/call';
import { formatDateTime, formatDuration } from '../format';
import { t, type Key } from '../i18n';

export function Legs({ call, now }: { call: Call; now: number }) {
  return h(
    'ul',
    { class: 'legs small muted', 'data-testid': 'legs' },
    call.legs.map((l, i) =>
      h(
        'li',
        { key: i },
        t('leg', { ext: l.extension, ring: formatDateTime(l.ringAt) }),
        l.via === 'pickup' && ` (${t('viaPickup')})`,
        l.answeredAt && t('legAnswered', { at: formatDateTime(l.answeredAt) }),
        l.endedAt && t('legEnded', { at: formatDateTime(l.endedAt) }),
        l.endReason && ` (${t(`le_${l.endReason}` as Key)})`,
        ` · ${t('legRang', { d: formatDuration(l.ringAt, now, l.answeredAt ?? l.endedAt) })}`,
        l.answeredAt && ` · ${t('legTalked', { d: formatDuration(l.answeredAt, now, l.endedAt) })}`,
      ),
    ),
  );
}
