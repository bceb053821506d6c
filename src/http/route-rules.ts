// Who may reach each route at all, one line per route: the auth hook (auth.ts) enforces it — 401
// without a session, 403 for a role not listed — and a route without a line cannot be registered,
// so a new route cannot ship without its rule. Finer rules that depend on the data (an agent's own
// drafts, a call they were on) stay with the route that knows the data.
import type { Role } from '../tickets/roles';
import { PANEL_PATHS } from './routes/ui';

/** `public`: no session; `signed-in`: any role; `staff`: supervisors and admins; `admin`. */
export type Access = 'public' | 'signed-in' | 'staff' | 'admin';

export const ROLES_WITH: Readonly<Record<Exclude<Access, 'public'>, readonly Role[]>> = {
  'signed-in': ['agent', 'supervisor', 'admin'],
  staff: ['supervisor', 'admin'],
  admin: ['admin'],
};

/** Keyed `METHOD url` as Fastify spells the url (`:id`); HEAD follows GET. */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  // The panel's pages and assets (what they show comes from the API), health, logging in, and a
  // customer's link page (the token in its path is the key). /metrics checks its own token.
  ...Object.fromEntries(PANEL_PATHS.map((p) => [`GET ${p}`, 'public' as const])),
  'GET /assets/:file': 'public',
  'GET /api/health': 'public',
  'GET /metrics': 'public',
  'POST /api/session': 'public',
  'GET /r/:token': 'public',
  'POST /r/:token': 'public',

  'GET /api/session': 'signed-in',
  'DELETE /api/session': 'signed-in',
  'GET /api/me': 'signed-in',
  'POST /api/me/password': 'signed-in',
  'GET /ws': 'signed-in',
  'GET /api/agents': 'signed-in',
  'POST /api/agents': 'admin',
  'PATCH /api/agents/:id': 'admin',
  'GET /api/audit': 'admin',

  'GET /api/contacts': 'signed-in',
  'POST /api/contacts': 'signed-in',
  'GET /api/contacts/:id': 'signed-in',
  'PATCH /api/contacts/:id': 'signed-in',
  'POST /api/contacts/:id/erase': 'admin',
  'GET /api/organisations': 'signed-in',
  'POST /api/organisations': 'signed-in',
  'GET /api/organisations/:id': 'signed-in',
  'PATCH /api/organisations/:id': 'signed-in',

  'GET /api/calls': 'signed-in',
  'GET /api/calls/:id': 'signed-in',
  // Agents only for calls they were on (the route checks).
  'GET /api/calls/:id/recordings/:n': 'signed-in',

  // What an agent may do to a request is `authorize` (tickets/lifecycle.ts).
  'GET /api/tickets': 'signed-in',
  'POST /api/tickets': 'signed-in',
  'GET /api/tickets/:id': 'signed-in',
  'PATCH /api/tickets/:id': 'signed-in',
  'POST /api/tickets/:id/transitions': 'signed-in',
  'POST /api/tickets/:id/number-told': 'signed-in',
  'POST /api/tickets/:id/comments': 'signed-in',
  'POST /api/tickets/:id/customer-contact': 'signed-in',
  'POST /api/tickets/:id/calls': 'signed-in',
  'GET /api/tickets/:id/attachments': 'signed-in',
  'POST /api/tickets/:id/attachments': 'signed-in',
  'GET /api/tickets/:id/attachments/:attachmentId': 'signed-in',
  'GET /api/tickets/:id/mails': 'signed-in',
  'GET /api/tickets/:id/mail': 'signed-in',
  'GET /api/mail-attachments/:id': 'signed-in',
  'POST /api/tickets/:id/complete-children': 'staff',
  'POST /api/incidents': 'staff',

  'GET /api/calls/export.csv': 'staff',
  'GET /api/export/calls.csv': 'staff',
  'GET /api/tickets/export.csv': 'staff',
  'GET /api/export/tickets.csv': 'staff',
  'GET /api/tickets/journal.csv': 'staff',
  'GET /api/export/journal.csv': 'staff',
  'GET /api/reports/calls': 'staff',
  'GET /api/reports/tickets': 'staff',
  'GET /api/board': 'staff',
  'GET /api/review': 'staff',
  'POST /api/review/:id/resolve': 'staff',
  'GET /api/blocked-numbers': 'staff',
  'POST /api/blocked-numbers': 'staff',
  'DELETE /api/blocked-numbers/:id': 'staff',

  'GET /api/admin/mail': 'admin',
  'POST /api/admin/mail/:id/retry': 'admin',
  'DELETE /api/admin/mail/:id': 'admin',
};

/** The OpenAPI UI and document (registered before the auth hook): public. */
const PUBLIC_PREFIX = '/docs';

export function accessOf(method: string, url: string): Access | undefined {
  if (url === PUBLIC_PREFIX || url.startsWith(`${PUBLIC_PREFIX}/`)) return 'public';
  return ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
