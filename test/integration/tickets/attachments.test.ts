// R5: screenshots on a request: images only (by their bytes), size-limited, stored in PostgreSQL so
// that any instance serves them, listed and downloaded per request, journaled.
import { createHash } from 'node:crypto';
import t from 'tap';
import pino from 'pino';
import { buildApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { ATTACHMENT_MAX_BYTES } from '../../../src/tickets/ticket';
import { completed, desk, entries, getTicket, insertCall, move, registered, type Desk, type Person } from './fixture';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 0, 1, 0, 0, 0, 0]), Buffer.from(';')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8L'), Buffer.alloc(18, 1)]);

async function upload(h: Desk, who: Person, ticketId: string, bytes: Buffer, contentType: string | null = 'application/octet-stream', query = '') {
  const res = await fetch(`${h.url}/api/tickets/${ticketId}/attachments${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function download(h: Desk, who: Person, path: string) {
  const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

t.test('R5: screenshots are uploaded, listed, downloaded and journaled', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const { callId } = await insertCall(h, { answeredBy: h.ivanov, draft: false });
  const png = await upload(h, h.ivanov, r.id, PNG, 'application/octet-stream', `?fileName=${encodeURIComponent('C:\\Users\\Иван\\Скриншот ошибки.png')}&callId=${callId}`);
  t.equal(png.status, 201);
  t.match(png.body, {
    ticketId: r.id,
    fileName: 'Скриншот ошибки.png',
    contentType: 'image/png',
    size: PNG.length,
    sha256: createHash('sha256').update(PNG).digest('hex'),
    uploadedBy: { id: h.ivanov.id, login: 'ivanov' },
  });
  const jpeg = await upload(h, h.ivanov, r.id, JPEG, 'image/png');
  t.equal(jpeg.status, 201);
  t.equal(jpeg.body.contentType, 'image/jpeg', 'the bytes say JPEG whatever the client said');
  t.match(jpeg.body.fileName, /\.jpg$/, 'a name when none is given');
  t.equal((await upload(h, h.ivanov, r.id, GIF, 'image/gif')).body.contentType, 'image/gif');
  t.equal((await upload(h, h.ivanov, r.id, WEBP, 'image/webp')).body.contentType, 'image/webp');

  const listed = await h.request('GET', `/api/tickets/${r.id}/attachments`, h.petrov.token);
  t.equal(listed.status, 200, 'anyone signed in may look');
  t.same(listed.body.items.map((a: any) => a.contentType), ['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
  t.same((await getTicket(h, r.id)).attachments.map((a: any) => a.id), listed.body.items.map((a: any) => a.id), 'and with the request');

  const file = await download(h, h.petrov, png.body.url);
  t.equal(file.status, 200);
  t.ok(file.bytes.equals(PNG), 'the same bytes back');
  t.equal(file.headers.get('content-type'), 'image/png');
  t.equal(file.headers.get('x-content-type-options'), 'nosniff');
  t.match(file.headers.get('content-disposition'), /filename\*=UTF-8''%D0%A1%D0%BA%D1%80%D0%B8%D0%BD%D1%88%D0%BE%D1%82/);
  const again = await fetch(`${h.url}${png.body.url}`, { headers: { authorization: `Bearer ${h.petrov.token}`, 'if-none-match': file.headers.get('etag')! } });
  t.equal(again.status, 304, 'cached by its hash');

  const journaled = await entries(h, r.id, 'attachment_added');
  t.equal(journaled.length, 4);
  t.match(journaled[0], {
    actor: { id: h.ivanov.id },
    callId,
    data: { attachmentId: png.body.id, fileName: 'Скриншот ошибки.png', contentType: 'image/png', size: PNG.length },
  });
  t.equal((await getTicket(h, r.id)).version, r.version, 'a screenshot does not make an editor’s copy stale');
});

t.test('R5: only PNG, JPEG, WebP and GIF are taken, judged by their bytes', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const html = await upload(h, h.ivanov, r.id, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
  t.equal(html.status, 415);
  t.equal(html.body.error, 'unsupported_media_type');
  const svg = await upload(h, h.ivanov, r.id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml');
  t.equal(svg.status, 415);
  const pdf = await upload(h, h.ivanov, r.id, Buffer.from('%PDF-1.7\n'), 'application/pdf');
  t.equal(pdf.status, 415);
  const empty = await upload(h, h.ivanov, r.id, Buffer.alloc(0), 'image/png');
  t.equal(empty.status, 400);
  const json = await upload(h, h.ivanov, r.id, Buffer.from('{"a":1}'), 'application/json');
  t.equal(json.status, 415, 'a JSON body is not an image either');
  const asText = await upload(h, h.ivanov, r.id, PNG, 'text/plain');
  t.equal(asText.status, 201, 'a real PNG sent as text/plain is still a PNG');
  t.equal(asText.body.contentType, 'image/png');
  const untyped = await upload(h, h.ivanov, r.id, GIF, null);
  t.equal(untyped.status, 201, 'no Content-Type at all is fine too');
  t.equal(untyped.body.contentType, 'image/gif');
  t.equal((await h.request('GET', `/api/tickets/${r.id}/attachments`, h.ivanov.token)).body.items.length, 2);
  t.equal((await entries(h, r.id, 'attachment_added')).length, 2, 'refusals leave no entry');
});

t.test('R5: an oversized upload gets 413 and nothing is stored', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const big = Buffer.concat([PNG, Buffer.alloc(ATTACHMENT_MAX_BYTES + 1 - PNG.length)]);
  const res = await upload(h, h.ivanov, r.id, big, 'image/png');
  t.equal(res.status, 413);
  t.equal(res.body.error, 'payload_too_large');
  const justFits = await upload(h, h.ivanov, r.id, big.subarray(0, ATTACHMENT_MAX_BYTES), 'image/png');
  t.equal(justFits.status, 201, 'the limit itself is allowed');
  t.equal(justFits.body.size, ATTACHMENT_MAX_BYTES);
  t.equal((await h.request('GET', `/api/tickets/${r.id}/attachments`, h.ivanov.token)).body.items.length, 1);
  const json = await h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, { version: r.version, description: 'x'.repeat(2 * 1024 * 1024) });
  t.equal(json.status, 413, 'other routes keep their own smaller limit');
});

t.test('R5: screenshots are in the database, so another instance serves them', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const up = await upload(h, h.ivanov, r.id, PNG, 'image/png');
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', pbx: [] };
  const other = await buildApp({ config, logger: pino({ level: 'silent' }), databaseUrl: h.db.url, connectPbx: false, jobs: false });
  t.teardown(() => other.close());
  const res = await other.http.inject({ method: 'GET', url: up.body.url, headers: { authorization: `Bearer ${h.petrov.token}` } });
  t.equal(res.statusCode, 200);
  t.ok(res.rawPayload.equals(PNG));
});

t.test('R5: who may attach, and where', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  t.equal((await upload(h, h.petrov, r.id, PNG)).status, 403, 'an agent attaches to requests assigned to them');
  t.equal((await upload(h, h.petrov, r.id, Buffer.from('<html></html>'))).status, 403, 'who may attach is answered before what was sent');
  t.equal((await upload(h, h.boss, r.id, PNG)).status, 201, 'a supervisor to any');
  const { draftId } = await insertCall(h, { answeredBy: h.petrov });
  t.equal((await upload(h, h.petrov, draftId!, PNG)).status, 201, 'the agent who answered, to the call’s draft');
  t.equal((await upload(h, h.ivanov, draftId!, PNG)).status, 403);
  const done = await completed(h, h.ivanov);
  await move(h, h.ivanov, done.id, { to: 'closed', reason: 'confirmed' });
  t.equal((await upload(h, h.ivanov, done.id, PNG)).status, 409, 'a closed request takes nothing more');

  const ghost = '6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f';
  t.equal((await upload(h, h.boss, ghost, PNG)).status, 404);
  t.equal((await h.request('GET', `/api/tickets/${ghost}/attachments`, h.boss.token)).status, 404);
  t.equal((await download(h, h.boss, `/api/tickets/${r.id}/attachments/${ghost}`)).status, 404);
  const mine = (await h.request('GET', `/api/tickets/${r.id}/attachments`, h.boss.token)).body.items[0];
  t.equal((await download(h, h.boss, `/api/tickets/${draftId}/attachments/${mine.id}`)).status, 404, 'only through its own request');
  const anon = await fetch(`${h.url}${mine.url}`);
  t.equal(anon.status, 401, 'no session, no screenshot');
  const anonUp = await fetch(`${h.url}/api/tickets/${r.id}/attachments`, { method: 'POST', body: new Uint8Array(PNG) });
  t.equal(anonUp.status, 401);
});
