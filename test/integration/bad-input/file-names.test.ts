// File names are the client's words: path tricks and header tricks in a screenshot's name are
// kept as a plain name and never reach a path or a header unescaped.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { rawRequest } from '../security/raw-http';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

t.test('path and header tricks in an upload’s file name give a plain name and a safe download', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const made = await h.request('POST', '/api/tickets', h.adminToken, { description: 'screenshots with odd names' });
  const auth = { authorization: `Bearer ${h.adminToken}` };
  const names: [string, RegExp][] = [
    ['../../../etc/passwd.png', /^passwd\.png$/],
    ['..\\..\\windows\\win.ini.png', /^win\.ini\.png$/],
    ['evil"; filename=other.exe\r\nX-Injected: 1.png', /X-Injected/],
    ['/abs/olute/name.png', /^name\.png$/],
    ['nul\u0000byte.png', /byte\.png$/],
  ];
  for (const [name, shown] of names) {
    const up = await rawRequest(h.url, 'POST', `/api/tickets/${made.body.id}/attachments?fileName=${encodeURIComponent(name)}`, {
      headers: { ...auth, 'content-type': 'image/png' },
      body: PNG,
    });
    t.ok(up.status === 201 || up.status === 400, `${JSON.stringify(name)}: stored or refused (${up.status})`);
    if (up.status === 400) {
      t.equal(up.body.field, 'fileName', 'a refusal names the field');
      continue;
    }
    t.match(up.body.fileName, shown, `${JSON.stringify(name)} is kept as ${JSON.stringify(up.body.fileName)}`);
    t.notMatch(up.body.fileName, /[/\\\u0000]/, 'no path separators or NUL in the stored name');
    const down = await rawRequest(h.url, 'GET', `/api/tickets/${made.body.id}/attachments/${up.body.id}`, { headers: auth });
    t.equal(down.status, 200);
    t.equal(down.headers['x-injected'], undefined, 'no header smuggled through the name');
    const cd = String(down.headers['content-disposition']);
    t.notMatch(cd, /[\r\n]/, 'the Content-Disposition is one line');
    t.match(cd, /^inline; filename="[^"]*"; filename\*=UTF-8''\S+$/, `one quoted name and its encoded form: ${cd}`);
    t.equal(down.headers['content-type'], 'image/png', 'served as the image it is');
  }
});
