import t from 'tap';
import { answeredDraft, screenshot } from '../helpers/browser';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

t.test('a screenshot is attached by upload or by paste', async (t) => {
  const { app, me, page, errors, ticketId } = await answeredDraft(t, [['ivanova', '101']]);
  const input = page.getByTestId('screenshot-input');
  // The control is enabled once the panel knows the server takes files; it says so.
  await page.getByText('или вставьте снимок (Ctrl+V) в любое поле заявки').waitFor();
  await input.setInputFiles({ name: 'ошибка.png', mimeType: 'image/png', buffer: PNG });
  await page.getByTestId('thumb').first().waitFor();
  // Pasting an image into the description attaches it too.
  await page.getByTestId('description').focus();
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, PNG.toString('base64'));
  await page.getByTestId('thumb').nth(1).waitFor();
  await screenshot(page, '18-screenshots');
  const stored = await app.request('GET', `/api/tickets/${ticketId}/attachments`, me.token);
  t.same(stored.body.items.map((a: any) => a.fileName), ['ошибка.png', 'image.png']);
  t.equal(await page.getByTestId('description').inputValue(), '', 'the paste did not put anything into the text');
  t.same(errors, []);
});
