// `GET /r/:token` shows a customer link's page; `POST /r/:token` (an HTML form) takes the decision.
// No session: the token is the key. GET never changes anything (mail scanners open links). Forms
// are read only here (the API takes JSON alone, so no other route can be driven by a foreign form).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { DataSource } from 'typeorm';
import { CustomerLinks, type LinkOutcome } from '../../links/customer-links';
import { actionsPage, donePage, notFoundPage, outdatedPage, tooManyPage, usedPage } from '../../links/link-page';
import { LinkRateLimit, type LinkLimits } from '../../links/rate-limit';
import { LINK_ACTIONS, type LinkAction } from '../../links/validity';
import type { TicketService } from '../../services/ticket-service';

const Params = Type.Object({ token: Type.String({ maxLength: 200 }) });
const Query = Type.Object({ action: Type.Optional(Type.String({ maxLength: 20 })) });
const Form = Type.Object({
  action: Type.Union(LINK_ACTIONS.map((a) => Type.Literal(a))),
  reason: Type.Optional(Type.String({ maxLength: 5000 })),
});

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The token is in the address: no other site may learn it from a Referer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export function customerLinkRoutes(deps: { ds: DataSource; tickets: TicketService; limits?: LinkLimits }) {
  return async function plugin(app: FastifyInstance) {
    const links = new CustomerLinks(deps.ds, deps.tickets);
    const limit = new LinkRateLimit(deps.ds, deps.limits);
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    const send = (reply: FastifyReply, status: number, html: string) => reply.code(status).headers(HEADERS).send(html);

    app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof Query> }>(
      '/r/:token',
      {
        schema: { tags: ['customer links'], summary: "The customer's page of a link in a mail (Russian HTML; changes nothing)", params: Params, querystring: Query },
      },
      async (req, reply) => {
        if (!(await limit.allow(req.ip))) return send(reply, 429, tooManyPage());
        const view = await links.show(req.params.token);
        if (!('link' in view)) await limit.unknown(req.ip);
        return render(reply, view, req.query.action);
      },
    );

    app.post<{ Params: Static<typeof Params>; Body: Static<typeof Form> }>(
      '/r/:token',
      {
        schema: {
          tags: ['customer links'],
          summary: 'The customer decides through a link: confirm, disagree (with a reason) or withdraw; once',
          params: Params,
          body: Form,
          consumes: ['application/x-www-form-urlencoded'],
        },
      },
      async (req, reply) => {
        if (!(await limit.allow(req.ip))) return send(reply, 429, tooManyPage());
        const outcome = await links.act(req.params.token, req.body.action, req.body.reason ?? '');
        if (!('link' in outcome)) await limit.unknown(req.ip);
        return render(reply, outcome, req.body.action);
      },
    );

    function render(reply: FastifyReply, o: LinkOutcome, focus?: string) {
      if (!('link' in o)) return send(reply, 404, notFoundPage());
      const r = { number: o.link.number, subject: o.link.subject, solution: o.link.solution };
      if ('kind' in o && o.kind === 'done') return send(reply, 200, donePage(r, o.action));
      if ('kind' in o && o.kind === 'needs_reason') {
        return send(reply, 400, actionsPage(r, o.actions, { focus: 'disagree', error: 'Напишите, пожалуйста, что не так с решением.' }));
      }
      const state = (o as { state: import('../../links/validity').LinkState }).state;
      switch (state.kind) {
        case 'open':
          return send(reply, 200, actionsPage(r, state.actions, { focus: LINK_ACTIONS.includes(focus as LinkAction) ? focus : undefined }));
        case 'used':
          return send(reply, 409, usedPage(r));
        case 'outdated':
          return send(reply, 409, outdatedPage(r, state.status));
        default:
          return send(reply, 404, notFoundPage());
      }
    }
  };
}
