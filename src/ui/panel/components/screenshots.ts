// R5 screenshots: uploaded from a file or pasted (Ctrl+V) anywhere in the request's form. Enabled
// once the request's screenshots have been asked for.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { errorText } from '../live';
import type { Attachment } from '../../../wire/attachment';

export interface Screenshots {
  /** null until the request's screenshots have been asked for. */
  supported: boolean | null;
  items: Attachment[];
  busy: boolean;
  error: string | null;
  upload(file: File): Promise<void>;
}

export function useScreenshots(ticketId: string, callId: string | null): Screenshots {
  const [supported, setSupported] = useState<boolean | null>(null);
  const [items, setItems] = useState<Attachment[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.attachments(ticketId).then(
      (r) => live && (setSupported(true), setItems(r.items)),
      () => live && setSupported(true), // the list failed; an upload still may not
    );
    return () => {
      live = false;
    };
  }, [ticketId]);
  const upload = async (file: File) => {
    if (!supported || busy) return;
    setBusy(true);
    setError(null);
    try {
      const added = await api.attach(ticketId, file, file.name, callId);
      setItems((xs) => [...xs, added]);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { supported, items, busy, error, upload };
}

/** The first image in a paste, if any. */
export function pastedImage(ev: ClipboardEvent): File | null {
  for (const item of Array.from(ev.clipboardData?.items ?? [])) {
    if (item.kind === 'file' && item.type.startsWith('image/')) return item.getAsFile();
  }
  return null;
}

export function ScreenshotsField({ id, shots, readonly }: { id: string; shots: Screenshots; readonly: boolean }) {
  const enabled = shots.supported === true && !readonly;
  const inputId = `screenshot-${id}`;
  return h(
    'div',
    { class: 'screenshots', 'data-testid': 'screenshots' },
    h(
      'div',
      { class: 'screenshot' },
      h(
        'label',
        { class: `field-title upload-button${enabled ? '' : ' disabled'}` },
        t('screenshot'),
        ': ',
        t('screenshotAdd'),
        h('input', {
          id: inputId,
          type: 'file',
          accept: 'image/png,image/jpeg,image/webp,image/gif',
          class: 'visually-hidden',
          disabled: !enabled || shots.busy,
          'aria-describedby': `screenshot-hint-${id}`,
          'data-testid': 'screenshot-input',
          onChange: (ev: Event) => {
            const input = ev.target as HTMLInputElement;
            const file = input.files?.[0];
            input.value = '';
            if (file) void shots.upload(file);
          },
        }),
      ),
      h('span', { id: `screenshot-hint-${id}`, class: 'hint' }, shots.busy ? t('uploading') : enabled ? t('screenshotPaste') : ''),
    ),
    shots.error && h('p', { class: 'form-error', role: 'alert' }, shots.error),
    shots.items.length > 0 &&
      h(
        'ul',
        { class: 'thumbs' },
        shots.items.map((a) =>
          h('li', { key: a.id }, h('a', { href: a.url, target: '_blank', rel: 'noopener', title: a.fileName }, h('img', { src: a.url, alt: a.fileName, 'data-testid': 'thumb' }))),
        ),
      ),
  );
}
