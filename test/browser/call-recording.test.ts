// A recorded call and a voicemail in the call log (R1, R2): the log marks them, the call's page
// plays the recording in a working <audio> player from RECORDINGS_DIR, and says when a file is not there.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { openPanel, screenshot, signIn, startDesk } from '../helpers/browser';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';
import { writeWav } from '../helpers/wav';

const R1_NAME = 'support-20261126-115138-79115550201-1795693898.237.wav';

t.test('a supervisor sees which calls were recorded and listens to the recording on the call’s page', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-recordings-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeWav(path.join(dir, 'monitor', R1_NAME), 3);
  // R2's voicemail is not in the directory: its call says so.
  const desk = await startDesk(t, [['boss', '199', 'supervisor'], ['ivanova', '101'], ['petrov', '102']], { recordingsDir: dir });
  await desk.peer.replay(loadScenario('R1-recorded'));
  await desk.peer.replay(loadScenario('R2-voicemail'));
  await waitFor('both calls stored with their recordings, ended', async () => {
    const r = await desk.app.request('GET', '/api/calls', desk.agents.boss.token);
    return r.body.items.length === 2 && r.body.items.every((c: any) => c.endedAt && c.recordings.length === 1);
  });

  const { page, errors } = await openPanel(t, `${desk.app.url}/calls`);
  await signIn(page, 'boss', desk.agents.boss.password);
  await page.getByTestId('call-log').waitFor();
  const answered = page.locator('[data-testid="call-row"][data-outcome="answered"]');
  const missed = page.locator('[data-testid="call-row"][data-outcome="missed"]');
  await answered.first().waitFor();
  t.equal(await answered.getByTestId('call-recorded').textContent(), '● запись', 'the recorded call is marked');
  t.equal(await missed.getByTestId('call-recorded').textContent(), '● голосовое', 'the missed call that left a voicemail is marked');

  await answered.locator('a').first().click();
  await page.getByTestId('call-recordings').waitFor();
  const item = page.locator('[data-testid="recording"][data-kind="recording"]');
  t.match(await item.textContent(), /Запись разговора/);
  // The player loads the file: its length is the WAV's 3 s.
  const duration = await page.waitForFunction(
    () => {
      const a = document.querySelector('[data-testid="call-recordings"] audio') as HTMLAudioElement | null;
      return a !== null && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : null;
    },
    null,
    { timeout: 20_000 },
  );
  t.ok(Math.abs((await duration.jsonValue())! - 3) < 0.1, 'the player knows the recording is 3 s long');
  const src = await item.locator('audio').getAttribute('src');
  const fetched = await page.evaluate(async (u) => {
    const r = await fetch(u!, { headers: { range: 'bytes=0-3' } });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, src);
  t.same(fetched, { status: 206, type: 'audio/wav', text: 'RIFF' }, 'its source answers the browser, byte ranges and all');
  await screenshot(page, '28-call-recording');

  await page.goBack();
  await missed.locator('a').first().click();
  const vm = page.locator('[data-testid="recording"][data-kind="voicemail"]');
  await vm.waitFor();
  t.match(await vm.textContent(), /Голосовое сообщение.*ящик 100@support/);
  t.match(await vm.getByTestId('recording-missing').textContent(), /msg0000 — файл не найден в RECORDINGS_DIR/);
  t.equal(await vm.locator('audio').count(), 0, 'no player for a file that is not there');
  t.same(errors, []);
});
