// The API describes itself: /docs/json is an OpenAPI document listing every ticket route with
// its parameters, bodies and responses, each a schema a validator can compile.
import t from 'tap';
import Ajv from 'ajv';
import { desk } from './fixture';

const TICKET_ROUTES: [string, string][] = [
  ['get', '/api/tickets'],
  ['post', '/api/tickets'],
  ['get', '/api/tickets/{id}'],
  ['patch', '/api/tickets/{id}'],
  ['post', '/api/tickets/{id}/transitions'],
  ['post', '/api/tickets/{id}/number-told'],
  ['post', '/api/tickets/{id}/comments'],
  ['post', '/api/tickets/{id}/customer-contact'],
  ['post', '/api/tickets/{id}/calls'],
  ['post', '/api/tickets/{id}/attachments'],
  ['get', '/api/tickets/{id}/attachments'],
  ['get', '/api/tickets/{id}/attachments/{attachmentId}'],
];

t.test('/docs/json is valid OpenAPI listing every ticket route with its schemas', async (t) => {
  const h = await desk(t);
  const res = await fetch(`${h.url}/docs/json`);
  t.equal(res.status, 200, 'public, no session needed');
  t.match(res.headers.get('content-type'), /application\/json/);
  const doc = JSON.parse(await res.text());
  t.match(doc.openapi, /^3\./);
  t.ok(doc.info?.title && doc.info?.version);

  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const compiles = (schema: unknown, where: string) => {
    try {
      ajv.compile(schema as object);
      return true;
    } catch (err) {
      t.fail(`${where}: ${(err as Error).message}`);
      return false;
    }
  };
  for (const [method, path] of TICKET_ROUTES) {
    const op = doc.paths?.[path]?.[method];
    t.ok(op, `${method.toUpperCase()} ${path} is listed`);
    if (!op) continue;
    t.ok(op.summary, `${path}: says what it does`);
    t.same(op.tags, ['tickets']);
    for (const name of path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
      t.ok(op.parameters?.some((p: any) => p.in === 'path' && p.name === name && p.required), `${path}: path parameter ${name}`);
    }
    const ok = Object.keys(op.responses ?? {}).filter((c) => /^2/.test(c));
    t.ok(ok.length > 0, `${method} ${path}: a success response`);
    for (const code of ['400', '401', '404']) t.ok(op.responses[code], `${method} ${path}: documents ${code}`);
    for (const [code, r] of Object.entries<any>(op.responses)) {
      for (const [type, media] of Object.entries<any>(r.content ?? {})) compiles(media.schema, `${method} ${path} ${code} ${type}`);
    }
    if (method !== 'get') {
      const content = op.requestBody?.content ?? {};
      t.ok(Object.keys(content).length > 0, `${method} ${path}: a request body`);
      for (const [type, media] of Object.entries<any>(content)) compiles(media.schema, `${method} ${path} body ${type}`);
    }
  }
  const transitions = doc.paths['/api/tickets/{id}/transitions'].post.requestBody.content['application/json'].schema;
  t.same(transitions.required, ['to']);
  t.ok(transitions.properties.to.anyOf?.length >= 6 || transitions.properties.to.enum?.length >= 6, 'the statuses are listed');
  t.ok(doc.paths['/api/tickets/{id}/attachments'].post.requestBody.content['image/png'], 'uploads take the image bytes');
  t.ok(doc.paths['/api/tickets'].get.parameters.some((p: any) => p.name === 'q'), 'the search parameter');
  t.ok(doc.paths['/api/tickets/{id}/transitions'].post.responses['409'], 'illegal transitions are documented');
});
